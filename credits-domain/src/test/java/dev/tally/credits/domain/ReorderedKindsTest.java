package dev.tally.credits.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tally.contracts.credits.CreditBucketKind;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reordering CreditBucketKind cannot change how accounts spend: a copy of the enum declared in
 * reverse is compiled and loaded, with this module's classes, in a class loader of its own, and a
 * debit over one bucket of each kind still takes DAILY, ROLLOVER, SUBSCRIPTION, PROMO, TOPUP (while the
 * ordinals it reports are reversed). A spending order read from the declaration order fails here.
 */
class ReorderedKindsTest {

    @Test
    void spendingFollowsTheDocumentedOrderWhateverTheEnumsDeclarationOrder(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("src/dev/tally/contracts/credits/CreditBucketKind.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package dev.tally.contracts.credits;\npublic enum CreditBucketKind { ROLLOVER, TOPUP, PROMO, SUBSCRIPTION, DAILY }\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), source.toString()));

        URL[] path = {classes.toUri().toURL(), location(CreditBucketKind.class), location(SpendingOrder.class), location(SpendingProbe.class)};
        try (URLClassLoader reordered = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            @SuppressWarnings("unchecked")
            Supplier<List<String>> probe = (Supplier<List<String>>) reordered.loadClass(SpendingProbe.class.getName())
                    .getDeclaredConstructor().newInstance();
            assertEquals(List.of("DAILY@4", "ROLLOVER@0", "SUBSCRIPTION@3", "PROMO@2", "TOPUP@1"), probe.get());
        }
        assertEquals(List.of("DAILY@0", "ROLLOVER@4", "SUBSCRIPTION@1", "PROMO@2", "TOPUP@3"), new SpendingProbe().get());
    }

    @Test
    void theDocumentedOrderNamesEveryKindOnce() {
        assertEquals(List.of("DAILY", "ROLLOVER", "SUBSCRIPTION", "PROMO", "TOPUP"), SpendingOrder.KINDS.stream().map(Enum::name).toList());
        assertEquals(CreditBucketKind.values().length, SpendingOrder.KINDS.stream().distinct().count());
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
