package dev.tally.deploy;

import dev.tally.deploy.Kustomize.Doc;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a rendered overlay must keep, each failure naming the file, the resource and the
 * field: every resource parses with the fabric8 model and has no unknown field; every Deployment
 * has startup, readiness and liveness probes on the real health paths, requests and limits, runs as
 * non-root with a read-only root filesystem, and is given every environment variable its service
 * reads; every topic a service uses exists as a KafkaTopic; every Deployment has an HPA and a PDB.
 */
final class ManifestRules {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Variables a service reads that production leaves at their defaults on purpose. */
    static final Set<String> DEV_ONLY = Set.of("TALLY_DEMO_CATALOG");
    /** The topic each service publishes to through its outbox (README, What runs where). */
    static final Map<String, String> PRODUCES = Map.of("plans-service", "tally.plans.v1",
            "subscriptions-service", "tally.subscriptions.v1", "credits-service", "tally.credits.v1",
            "billing-scheduler", "tally.billing-commands.v1");
    private static final Map<String, Set<String>> CRD_SPEC_FIELDS = Map.of(
            "KafkaTopic", Set.of("topicName", "partitions", "replicas", "config"),
            "Cluster", Set.of("instances", "imageName", "storage", "managed", "bootstrap", "postgresql", "monitoring", "backup", "resources"),
            "Database", Set.of("name", "owner", "cluster", "ensure"));

    private ManifestRules() {
    }

    static List<String> check(List<Doc> docs, Path root) {
        List<String> errors = new ArrayList<>();
        Map<String, Map<String, String>> configMaps = new java.util.HashMap<>();
        Set<String> topics = new HashSet<>();
        Set<String> scaled = new HashSet<>();
        List<Deployment> deployments = new ArrayList<>();
        for (Doc doc : docs) {
            Object parsed;
            try {
                parsed = SERIALIZATION.unmarshal(Kustomize.YAML.writeValueAsString(doc.body()));
            } catch (Exception e) {
                errors.add(doc.where() + ": does not parse as Kubernetes: " + e.getMessage());
                continue;
            }
            if (parsed instanceof GenericKubernetesResource generic) {
                checkCustom(doc, generic, errors, topics);
                continue;
            }
            List<String> unknown = new ArrayList<>();
            UnknownFields.find(parsed, "", unknown);
            unknown.forEach(u -> errors.add(doc.where() + ": " + u.substring(1)));
            if (parsed instanceof ConfigMap cm) {
                configMaps.put(cm.getMetadata().getName(), cm.getData() == null ? Map.of() : cm.getData());
            } else if (parsed instanceof Deployment d) {
                deployments.add(d);
                checkDeployment(doc, d, errors);
            }
            if (Set.of("HorizontalPodAutoscaler", "PodDisruptionBudget").contains(doc.kind())) {
                scaled.add(doc.kind() + "/" + doc.name());
            }
        }
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            Doc doc = docs.stream().filter(x -> "Deployment".equals(x.kind()) && name.equals(x.name())).findFirst().orElseThrow();
            for (String kind : List.of("HorizontalPodAutoscaler", "PodDisruptionBudget")) {
                if (!scaled.contains(kind + "/" + name)) {
                    errors.add(doc.where() + ": has no " + kind);
                }
            }
            checkEnvironment(doc, d, configMaps, serviceReads(root, name), errors);
            for (String topic : topicsUsed(root, name)) {
                if (!topics.contains(topic)) {
                    errors.add(doc.where() + ": uses topic " + topic + " but no KafkaTopic declares it");
                }
            }
        }
        return errors;
    }

    private static void checkCustom(Doc doc, GenericKubernetesResource r, List<String> errors, Set<String> topics) {
        Set<String> allowed = CRD_SPEC_FIELDS.get(r.getKind());
        if (allowed == null) {
            errors.add(doc.where() + ": kind " + r.getKind() + " is not one this check knows");
            return;
        }
        Object spec = r.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> fields)) {
            errors.add(doc.where() + ": spec is missing");
            return;
        }
        fields.keySet().stream().filter(k -> !allowed.contains(k)).forEach(k -> errors.add(doc.where() + ": spec." + k + ": unknown field"));
        if ("KafkaTopic".equals(r.getKind())) {
            topics.add(String.valueOf(fields.get("topicName")));
        }
    }

    private static void checkDeployment(Doc doc, Deployment d, List<String> errors) {
        var pod = d.getSpec().getTemplate().getSpec();
        if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            errors.add(doc.where() + ": spec.template.spec.securityContext.runAsNonRoot: must be true");
        }
        for (Container c : pod.getContainers()) {
            String at = doc.where() + ": containers[" + c.getName() + "]";
            probe(at + ".startupProbe", c.getStartupProbe(), "/q/health/started", errors);
            probe(at + ".readinessProbe", c.getReadinessProbe(), "/q/health/ready", errors);
            probe(at + ".livenessProbe", c.getLivenessProbe(), "/q/health/live", errors);
            var res = c.getResources();
            for (String r : List.of("cpu", "memory")) {
                if (res == null || res.getLimits() == null || !res.getLimits().containsKey(r)) {
                    errors.add(at + ".resources.limits." + r + ": must be set");
                }
                if (res == null || res.getRequests() == null || !res.getRequests().containsKey(r)) {
                    errors.add(at + ".resources.requests." + r + ": must be set");
                }
            }
            var sc = c.getSecurityContext();
            if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                errors.add(at + ".securityContext.readOnlyRootFilesystem: must be true");
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                errors.add(at + ".securityContext.allowPrivilegeEscalation: must be false");
            }
        }
    }

    private static void probe(String at, Probe p, String path, List<String> errors) {
        if (p == null || p.getHttpGet() == null) {
            errors.add(at + ": must be an httpGet probe on " + path);
        } else if (!path.equals(p.getHttpGet().getPath())) {
            errors.add(at + ".httpGet.path: must be " + path + ", is " + p.getHttpGet().getPath());
        }
    }

    private static void checkEnvironment(Doc doc, Deployment d, Map<String, Map<String, String>> configMaps, Set<String> reads,
                                         List<String> errors) {
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        Set<String> given = new HashSet<>();
        if (c.getEnv() != null) {
            c.getEnv().forEach(e -> given.add(e.getName()));
        }
        if (c.getEnvFrom() != null) {
            for (var from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    Map<String, String> data = configMaps.get(from.getConfigMapRef().getName());
                    if (data == null) {
                        errors.add(doc.where() + ": envFrom.configMapRef " + from.getConfigMapRef().getName() + ": no such ConfigMap");
                    } else {
                        given.addAll(data.keySet());
                    }
                }
            }
        }
        reads.stream().filter(v -> !given.contains(v) && !DEV_ONLY.contains(v)).sorted()
                .forEach(v -> errors.add(doc.where() + ": env " + v + ": the service reads it but nothing provides it"));
    }

    /** The ${ENV_VAR...} references in the service's configuration and, if it is built on the backbone, the backbone's. */
    static Set<String> serviceReads(Path root, String service) {
        Set<String> vars = new HashSet<>();
        Pattern ref = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
        List<Path> files = new ArrayList<>(List.of(root.resolve(service + "/src/main/resources/application.properties")));
        if (usesBackbone(root, service)) {
            files.add(root.resolve("backbone/src/main/resources/META-INF/microprofile-config.properties"));
        }
        for (Path p : files) {
            try {
                if (Files.exists(p)) {
                    Matcher m = ref.matcher(Files.readString(p));
                    while (m.find()) {
                        vars.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return vars;
    }

    private static boolean usesBackbone(Path root, String service) {
        Path pom = root.resolve(service + "/pom.xml");
        try {
            return !Files.exists(pom) || Files.readString(pom).contains("<artifactId>backbone</artifactId>");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Topics the service publishes to, consumes, and dead-letters into (from its channel configuration). */
    static Set<String> topicsUsed(Path root, String service) {
        Set<String> topics = new HashSet<>();
        if (PRODUCES.containsKey(service)) {
            topics.add(PRODUCES.get(service));
        }
        Path p = root.resolve(service + "/src/main/resources/application.properties");
        try {
            if (Files.exists(p)) {
                for (String line : Files.readAllLines(p)) {
                    if (line.matches("mp\\.messaging\\.incoming\\.[^.]+\\.(topic|dead-letter-queue\\.topic)=.*")) {
                        topics.add(line.substring(line.indexOf('=') + 1).trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return topics;
    }
}
