package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes manifest under deploy/k8s parses into fabric8's typed model with no field it does not know (a
 * typo fails here), and the pieces fit: kustomize files exist, every Deployment has probes, requests and limits, a
 * Service and existing ConfigMap/Secret/PVC references, the HPA targets a Deployment, patches name real objects.
 */
class DeploymentManifestsTest {

    static final Path K8S = Path.of("..", "deploy", "k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser p = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(p, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** fabric8 keeps unknown fields in additionalProperties: any found anywhere is a misspelt or misplaced key. */
    static void unknownFields(Object o, String path, List<String> found, Map<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), found, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
                || o instanceof GenericKubernetesResource) {
            return; // custom resources (Strimzi) have no schema here; their kind and name are checked instead
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (java.lang.reflect.InvocationTargetException e) {
                continue; // derived getters (e.g. plural names) that need annotations
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(v, path + "." + m.getName().substring(3), found, seen);
        }
    }

    static Map<Path, List<KubernetesResource>> parseAll() throws Exception {
        Map<Path, List<KubernetesResource>> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                List<KubernetesResource> rs = new ArrayList<>();
                for (JsonNode doc : documents(f)) {
                    if (doc.path("apiVersion").asText().startsWith("kustomize.config.k8s.io")) {
                        continue;
                    }
                    KubernetesResource r = Serialization.unmarshal(YAML.writeValueAsString(doc),
                            KubernetesResource.class);
                    assertNotNull(r, f + ": a document did not parse");
                    List<String> unknown = new ArrayList<>();
                    unknownFields(r, f.getFileName() + ":" + doc.path("kind").asText(), unknown,
                            new IdentityHashMap<>());
                    assertTrue(unknown.isEmpty(), "unknown fields (typos?) in " + f + ": " + unknown);
                    if (r instanceof GenericKubernetesResource g) {
                        assertTrue(g.getApiVersion().startsWith("kafka.strimzi.io/") && g.getMetadata().getName() != null,
                                f + ": an unexpected custom resource " + g.getApiVersion() + "/" + g.getKind());
                    }
                    rs.add(r);
                }
                out.put(f, rs);
            }
        }
        return out;
    }

    @Test
    void everyManifestParsesWithKnownFieldsOnly() throws Exception {
        Map<Path, List<KubernetesResource>> all = parseAll();
        assertTrue(all.size() >= 10, "manifests found: " + all.keySet());
        long typed = all.values().stream().flatMap(List::stream).filter(r -> !(r instanceof GenericKubernetesResource))
                .count();
        assertTrue(typed >= 16, "typed resources: " + typed);
    }

    @Test
    void kustomizationsReferenceExistingFilesAndPatchRealObjects() throws Exception {
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(K8S)) {
            kustomizations = files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertEquals(3, kustomizations.size(), kustomizations.toString());
        Set<String> deployments = base().stream().filter(Deployment.class::isInstance)
                .map(r -> ((HasMetadata) r).getMetadata().getName()).collect(Collectors.toSet());
        for (Path k : kustomizations) {
            JsonNode doc = documents(k).get(0);
            assertEquals("Kustomization", doc.path("kind").asText(), k.toString());
            for (JsonNode r : doc.path("resources")) {
                assertTrue(Files.exists(k.getParent().resolve(r.asText())), k + " lists missing " + r.asText());
            }
            for (JsonNode p : doc.path("patches")) {
                Path patch = k.getParent().resolve(p.path("path").asText());
                assertTrue(Files.isRegularFile(patch), k + " patch " + patch + " is missing");
                String target = p.path("target").path("name").asText();
                assertTrue(deployments.contains(target), k + " patches unknown deployment " + target);
                Deployment d = Serialization.unmarshal(Files.readString(patch), Deployment.class);
                for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                    assertEquals(target, c.getName(), patch + " patches a container that does not exist");
                }
            }
        }
    }

    static List<KubernetesResource> base() throws Exception {
        return parseAll().entrySet().stream().filter(e -> e.getKey().startsWith(K8S.resolve("base")))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    @Test
    void everyDeploymentIsProbedSizedServedAndWired() throws Exception {
        List<KubernetesResource> base = base();
        Set<String> configMaps = names(base, io.fabric8.kubernetes.api.model.ConfigMap.class);
        Set<String> secrets = names(base, io.fabric8.kubernetes.api.model.Secret.class);
        Set<String> claims = names(base, PersistentVolumeClaim.class);
        List<Deployment> deployments = base.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .toList();
        assertEquals(Set.of("ingest-service", "training-service", "evaluation-service", "inference-service",
                        "console-service"), deployments.stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet()));
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            var pod = d.getSpec().getTemplate().getSpec();
            assertEquals(d.getSpec().getSelector().getMatchLabels(), pod == null ? null
                    : d.getSpec().getTemplate().getMetadata().getLabels(), name + ": selector matches the pod labels");
            assertTrue(Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot()), name + " runs as non-root");
            Container c = pod.getContainers().get(0);
            assertNotNull(c.getLivenessProbe(), name + " liveness");
            assertNotNull(c.getReadinessProbe(), name + " readiness");
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
            assertFalse(c.getResources().getRequests().isEmpty(), name + " requests");
            assertFalse(c.getResources().getLimits().isEmpty(), name + " limits");
            Set<String> ports = c.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
            assertTrue(ports.contains(c.getLivenessProbe().getHttpGet().getPort().getStrVal()), name + " probe port");
            c.getEnvFrom().forEach(e -> {
                if (e.getConfigMapRef() != null) {
                    assertTrue(configMaps.contains(e.getConfigMapRef().getName()), name + " configmap");
                }
                if (e.getSecretRef() != null) {
                    assertTrue(secrets.contains(e.getSecretRef().getName()), name + " secret");
                }
            });
            Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            c.getVolumeMounts().forEach(m -> assertTrue(volumes.contains(m.getName()), name + " mounts "
                    + m.getName()));
            pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).forEach(v -> assertTrue(
                    claims.contains(v.getPersistentVolumeClaim().getClaimName()), name + " claim " + v.getName()));
            Service svc = base.stream().filter(Service.class::isInstance).map(Service.class::cast)
                    .filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElse(null);
            assertNotNull(svc, name + " has a Service");
            assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
            assertTrue(ports.contains(svc.getSpec().getPorts().get(0).getTargetPort().getStrVal()));
        }
        HorizontalPodAutoscaler hpa = base.stream().filter(HorizontalPodAutoscaler.class::isInstance)
                .map(HorizontalPodAutoscaler.class::cast).findFirst().orElseThrow();
        assertEquals("inference-service", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
    }

    /**
     * Scale-out (docs/adr/0004-jobs-as-records.md): the three worker services run more than one pod, and a claim
     * that several pods mount read-write must be ReadWriteMany (a ReadWriteOnce claim would keep the second pod
     * Pending on most clusters, or let it write a volume the first cannot see).
     */
    @Test
    void workerServicesRunSeveralPodsAndShareOnlyReadWriteManyClaims() throws Exception {
        List<KubernetesResource> base = base();
        java.util.Map<String, PersistentVolumeClaim> claims = base.stream().filter(PersistentVolumeClaim.class::isInstance)
                .map(PersistentVolumeClaim.class::cast).collect(Collectors.toMap(c -> c.getMetadata().getName(),
                        c -> c));
        for (Deployment d : base.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList()) {
            String name = d.getMetadata().getName();
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            if (Set.of("ingest-service", "training-service", "evaluation-service").contains(name)) {
                assertTrue(replicas >= 2, name + " runs " + replicas + " pod(s): workers of a group need several");
                assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .anyMatch(e -> e.getName().equals("EMOTION_WORKER_ID")), name + " names its workers");
            }
            if (replicas < 2) {
                continue;
            }
            var pod = d.getSpec().getTemplate().getSpec();
            Set<String> writable = pod.getContainers().stream().flatMap(c -> c.getVolumeMounts().stream())
                    .filter(m -> !Boolean.TRUE.equals(m.getReadOnly())).map(m -> m.getName())
                    .collect(Collectors.toSet());
            for (Volume v : pod.getVolumes()) {
                if (v.getPersistentVolumeClaim() == null || !writable.contains(v.getName())) {
                    continue;
                }
                PersistentVolumeClaim claim = claims.get(v.getPersistentVolumeClaim().getClaimName());
                assertTrue(claim.getSpec().getAccessModes().contains("ReadWriteMany"), name + " (" + replicas
                        + " pods) mounts claim " + claim.getMetadata().getName() + " read-write with access modes "
                        + claim.getSpec().getAccessModes() + ": shared by several pods, it must be ReadWriteMany");
            }
        }
    }

    static Set<String> names(List<KubernetesResource> rs, Class<?> type) {
        return rs.stream().filter(type::isInstance).map(r -> ((HasMetadata) r).getMetadata().getName())
                .collect(Collectors.toSet());
    }
}
