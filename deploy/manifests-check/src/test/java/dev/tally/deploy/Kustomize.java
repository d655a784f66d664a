package dev.tally.deploy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders the subset of kustomize that deploy/k8s uses, offline: {@code resources} (files and
 * folders), {@code patches} (strategic merge by kind and name; containers merged by name),
 * {@code images} (new tags) and {@code namespace}. Each rendered document remembers its file.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    /** A rendered resource and the file it came from. */
    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return (String) body.get("kind");
        }

        String name() {
            return (String) metadata().get("name");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> metadata() {
            return (Map<String, Object>) body.getOrDefault("metadata", Map.of());
        }

        String where() {
            return file + ": " + kind() + "/" + name();
        }
    }

    private Kustomize() {
    }

    @SuppressWarnings("unchecked")
    static List<Doc> render(Path dir) {
        Map<String, Object> k = read(dir.resolve("kustomization.yaml")).get(0);
        List<Doc> docs = new ArrayList<>();
        for (Object r : (List<Object>) k.getOrDefault("resources", List.of())) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                docs.addAll(render(p));
            } else {
                read(p).forEach(body -> docs.add(new Doc(p, body)));
            }
        }
        for (Object patch : (List<Object>) k.getOrDefault("patches", List.of())) {
            Path p = dir.resolve((String) ((Map<String, Object>) patch).get("path"));
            for (Map<String, Object> body : read(p)) {
                Doc target = docs.stream().filter(d -> Objects.equals(d.kind(), body.get("kind"))
                        && Objects.equals(d.name(), ((Map<String, Object>) body.get("metadata")).get("name"))).findFirst()
                        .orElseThrow(() -> new IllegalStateException(p + ": patch targets " + body.get("kind") + " that no resource is"));
                merge(target.body(), body);
            }
        }
        for (Object image : (List<Object>) k.getOrDefault("images", List.of())) {
            var i = (Map<String, Object>) image;
            docs.forEach(d -> containers(d).forEach(c -> {
                String current = (String) c.get("image");
                if (current != null && current.startsWith(i.get("name") + ":")) {
                    c.put("image", i.get("name") + ":" + i.get("newTag"));
                }
            }));
        }
        if (k.get("namespace") != null) {
            docs.stream().filter(d -> !CLUSTER_SCOPED.contains(d.kind())).forEach(d -> d.metadata().put("namespace", k.get("namespace")));
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Doc d) {
        Object spec = d.body().get("spec");
        if (!(spec instanceof Map<?, ?> s) || !(s.get("template") instanceof Map<?, ?> t) || !(t.get("spec") instanceof Map<?, ?> ps)) {
            return List.of();
        }
        Object containers = ps.get("containers");
        return containers == null ? List.of() : (List<Map<String, Object>>) containers;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object existing = into.get(key);
            if (existing instanceof Map && value instanceof Map) {
                merge((Map<String, Object>) existing, (Map<String, Object>) value);
            } else if ("containers".equals(key) && existing instanceof List && value instanceof List) {
                for (Object c : (List<Object>) value) {
                    var pc = (Map<String, Object>) c;
                    ((List<Map<String, Object>>) existing).stream().filter(e -> Objects.equals(e.get("name"), pc.get("name")))
                            .findFirst().ifPresentOrElse(e -> merge(e, pc), () -> ((List<Object>) existing).add(pc));
                }
            } else {
                into.put(key, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(Path file) {
        try (MappingIterator<Map<String, Object>> it = YAML.readerFor(LinkedHashMap.class).readValues(file.toFile())) {
            List<Map<String, Object>> docs = new ArrayList<>();
            it.forEachRemaining(d -> {
                if (d != null && !d.isEmpty()) {
                    docs.add(d);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
