package dev.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders every overlay of deploy/k8s and validates it offline; a broken manifest must fail, by file and field. */
class OverlaysTest {
    private static final Path ROOT = Path.of(System.getProperty("tally.root", "../..")).toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyOverlayRendersAndKeepsEveryRule(String overlay) {
        var docs = Kustomize.render(ROOT.resolve("deploy/k8s/overlays/" + overlay));
        List<String> errors = ManifestRules.check(docs, ROOT);
        assertEquals(List.of(), errors, String.join("\n", errors));
        assertEquals(5, docs.stream().filter(d -> "Deployment".equals(d.kind())).count(), "the four services and web");
        assertTrue(docs.stream().allMatch(d -> d.metadata().get("namespace") != null), "every resource gets the overlay's namespace");
    }

    @Test
    void theDevOverlayRunsOneReplicaWithTheDemoCatalogAndDevImages() {
        var docs = Kustomize.render(ROOT.resolve("deploy/k8s/overlays/dev"));
        var plans = docs.stream().filter(d -> "Deployment".equals(d.kind()) && "plans-service".equals(d.name())).findFirst().orElseThrow();
        assertEquals(1, ((java.util.Map<?, ?>) plans.body().get("spec")).get("replicas"));
        assertEquals("ghcr.io/tally/plans-service:dev", Kustomize.containers(plans).get(0).get("image"));
    }

    @Test
    void aBrokenManifestFailsWithAMessageNamingTheFileAndTheField() throws Exception {
        Path broken = Path.of(getClass().getResource("/broken/kustomization.yaml").toURI()).getParent();
        List<String> errors = ManifestRules.check(Kustomize.render(broken), ROOT);
        String all = String.join("\n", errors);
        assertTrue(all.contains("deployment.yaml: Deployment/plans-service: spec.template.spec.containers[0].imagePulPolicy: unknown field"), all);
        assertTrue(all.contains("containers[plans-service].readinessProbe.httpGet.path: must be /q/health/ready, is /ready"), all);
        assertTrue(all.contains("containers[plans-service].resources.limits.memory: must be set"), all);
        assertTrue(all.contains("containers[plans-service].securityContext.readOnlyRootFilesystem: must be true"), all);
        assertTrue(all.contains("env KAFKA_BOOTSTRAP_SERVERS: the service reads it but nothing provides it"), all);
        assertTrue(all.contains("has no HorizontalPodAutoscaler"), all);
        assertTrue(all.contains("kafka-topics.yaml: KafkaTopic/plans: spec.partitionz: unknown field"), all);
        assertTrue(Files.exists(broken.resolve("deployment.yaml")));
    }
}
