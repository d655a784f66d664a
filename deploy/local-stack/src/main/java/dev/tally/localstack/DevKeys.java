package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A throwaway RSA key pair for signing local and test JWTs, generated on first use into a folder
 * that git ignores. Never a production key: production verifies tokens from its own issuer.
 */
public record DevKeys(PrivateKey privateKey, PublicKey publicKey, Path publicKeyPem) {

    private static final String PRIVATE = "jwt-private.pem";
    private static final String PUBLIC = "jwt-public.pem";

    /** Loads the pair from {@code dir}, or generates and writes one there if it has none. */
    public static synchronized DevKeys loadOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path priv = dir.resolve(PRIVATE);
            Path pub = dir.resolve(PUBLIC);
            if (!Files.exists(priv) || !Files.exists(pub)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path tmpPriv = Files.createTempFile(dir, PRIVATE, ".tmp");
                Path tmpPub = Files.createTempFile(dir, PUBLIC, ".tmp");
                Files.writeString(tmpPriv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(tmpPub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.move(tmpPriv, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmpPub, pub, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(priv))));
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(pub))));
            return new DevKeys(privateKey, publicKey, pub.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a dev key pair", e);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
