package dev.jgen.kernel.eval;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.graph.manager.DependencyManagerUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code %maven} and {@code %mavenRepo}: artifacts with their transitive runtime dependencies, from
 * Maven Central and the repositories a notebook adds, cached in the user's local Maven repository.
 * The libraries jgen itself runs on (DJL, XChart, Tablesaw and theirs) keep jgen's versions: a notebook
 * that loaded another DJL would break every model in it.
 */
final class MavenDependencies {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** What a request added, and what it asked for that jgen kept at its own version. */
    record Resolution(List<Path> jars, List<String> warnings) {}

    private final Map<String, String> pinned;
    private final Path localRepository;
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
    private final Set<Path> added = new LinkedHashSet<>();
    private RepositorySystem system;

    MavenDependencies(Map<String, String> pinned, Path localRepository) {
        this.pinned = pinned;
        this.localRepository = localRepository;
        repositories.put("central", new RemoteRepository.Builder("central", "default", CENTRAL).build());
    }

    /** jgen's own class path as groupId:artifactId to version, from the list the build writes. */
    static Map<String, String> pinnedByJgen() {
        Map<String, String> versions = new LinkedHashMap<>();
        InputStream list = MavenDependencies.class.getResourceAsStream("pinned-artifacts.txt");
        if (list == null) {
            return versions;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                // "   group:artifact:type[:classifier]:version -- module name"
                String coordinates = line.strip().split("\\s+", 2)[0];
                String[] parts = coordinates.split(":");
                if (line.startsWith(" ") && parts.length >= 4) {
                    versions.put(parts[0] + ":" + parts[1], parts[parts.length - 1]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read jgen's list of pinned artifacts", e);
        }
        return versions;
    }

    static Path userLocalRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** {@code %mavenRepo id url}. */
    String addRepository(String id, String url) throws CellError {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Magics.error("MagicError", "%mavenRepo needs a URL, e.g. %mavenRepo jitpack https://jitpack.io; got '" + url + "'");
        }
        if (uri.getScheme() == null || !List.of("https", "http", "file").contains(uri.getScheme())) {
            throw Magics.error("MagicError", "%mavenRepo takes an https, http or file URL; got '" + url + "'");
        }
        repositories.put(id, new RemoteRepository.Builder(id, "default", url).build());
        return "%maven now searches " + String.join(", ", repositories.keySet());
    }

    /** Resolves {@code group:artifact:version} coordinates (or {@code group:artifact:extension[:classifier]:version}). */
    Resolution resolve(List<String> coordinates) throws CellError {
        CollectRequest request = new CollectRequest();
        request.setRepositories(new ArrayList<>(repositories.values()));
        List<String> warnings = new ArrayList<>();
        for (String text : coordinates) {
            Artifact artifact = artifactOf(text);
            String kept = pinned.get(key(artifact));
            if (kept != null) {
                if (!kept.equals(artifact.getVersion())) {
                    warnings.add(keptWarning(artifact, kept, "you asked for"));
                }
                continue;
            }
            request.addDependency(new Dependency(artifact, JavaScopes.RUNTIME));
        }
        if (request.getDependencies().isEmpty()) {
            return new Resolution(List.of(), warnings);
        }
        for (Map.Entry<String, String> p : pinned.entrySet()) {
            String[] ga = p.getKey().split(":");
            request.addManagedDependency(new Dependency(new DefaultArtifact(ga[0], ga[1], "jar", p.getValue()), JavaScopes.RUNTIME));
        }
        DefaultRepositorySystemSession session = session();
        List<ArtifactResult> results;
        DependencyNode root;
        try {
            DependencyRequest dependencies = new DependencyRequest(request, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            var resolved = system().resolveDependencies(session, dependencies);
            results = resolved.getArtifactResults();
            root = resolved.getRoot();
        } catch (DependencyResolutionException e) {
            throw Magics.error("MavenError", explain(e, coordinates));
        }
        warnAboutManagedVersions(root, warnings, new LinkedHashSet<>());
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult result : results) {
            Artifact artifact = result.getArtifact();
            Path jar = artifact.getFile().toPath().toAbsolutePath();
            if (!pinned.containsKey(key(artifact)) && added.add(jar)) {
                jars.add(jar);
            }
        }
        return new Resolution(jars, warnings);
    }

    /** A dependency of what was asked for that wanted another version of a jgen library than jgen's. */
    private void warnAboutManagedVersions(DependencyNode node, List<String> warnings, Set<String> seen) {
        for (DependencyNode child : node.getChildren()) {
            String wanted = DependencyManagerUtils.getPremanagedVersion(child);
            Artifact artifact = child.getArtifact();
            // Managed to the version it asked for anyway: nothing changed, nothing to say.
            boolean changed = wanted != null && pinned.containsKey(key(artifact)) && !wanted.equals(pinned.get(key(artifact)));
            if (changed && seen.add(key(artifact))) {
                warnings.add(keptWarning(artifact.setVersion(wanted), pinned.get(key(artifact)), "a dependency asked for"));
            }
            warnAboutManagedVersions(child, warnings, seen);
        }
    }

    private static String keptWarning(Artifact asked, String kept, String who) {
        return "warning: " + key(asked) + " stays at jgen's " + kept + " (" + who + " " + asked.getVersion()
                + "); the kernel and the DSL run on it";
    }

    private static Artifact artifactOf(String text) throws CellError {
        try {
            Artifact artifact = new DefaultArtifact(text);
            if (artifact.getVersion().isEmpty()) {
                throw new IllegalArgumentException("no version");
            }
            return artifact;
        } catch (IllegalArgumentException e) {
            throw Magics.error("MagicError", "%maven takes group:artifact:version, e.g. "
                    + "%maven org.apache.commons:commons-lang3:3.14.0; got '" + text + "'");
        }
    }

    private static String key(Artifact artifact) {
        return artifact.getGroupId() + ":" + artifact.getArtifactId();
    }

    /** One sentence: which repository could not be reached, or what is in none of them. */
    private String explain(DependencyResolutionException failure, List<String> coordinates) {
        List<Throwable> causes = new ArrayList<>();
        collect(failure, causes);
        for (Throwable t : causes) {
            if (t instanceof ArtifactTransferException transfer && !(t instanceof ArtifactNotFoundException)
                    && causes.stream().anyMatch(c -> isNetwork(c) && isCauseOf(c, transfer))) {
                RemoteRepository repository = transfer.getRepository();
                return "could not reach " + repository.getId() + " (" + repository.getUrl() + ") to fetch " + transfer.getArtifact()
                        + "; is this machine online? Jars already in " + localRepository + " resolve offline";
            }
        }
        for (Throwable t : causes) {
            if (t instanceof ArtifactNotFoundException missing) {
                String searched = String.join(", ", repositories.values().stream().map(r -> r.getId() + " (" + r.getUrl() + ")").toList());
                return missing.getArtifact() + " is not in " + searched
                        + ": check the group, artifact and version, or add its repository with %mavenRepo id url";
            }
        }
        return "could not resolve " + String.join(" ", coordinates) + ": " + causes.get(causes.size() - 1).getMessage();
    }

    /** A failure with its causes and suppressed failures, depth first: the resolver keeps one per repository. */
    private static void collect(Throwable t, List<Throwable> into) {
        if (t == null || into.contains(t)) {
            return;
        }
        into.add(t);
        collect(t.getCause(), into);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, into);
        }
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof SocketTimeoutException;
    }

    private static boolean isCauseOf(Throwable cause, Throwable of) {
        for (Throwable t = of.getCause(); t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private DefaultRepositorySystemSession session() {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system().newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        // POM profiles activate on java.version and os.*: without these, parents like commons-parent fail to
        // build and their children silently lose every dependency.
        session.setSystemProperties(System.getProperties());
        session.setConfigProperty(DependencyManagerUtils.CONFIG_PROP_VERBOSE, true);
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        return session;
    }
}
