package dev.jgen.kernel.eval;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The DSL's javadoc for Shift-Tab. JShell reads documentation only from the JDK's own sources, so the kernel
 * ships the library's sources (under {@code jgen-sources/}) and finds the comment of the member a JShell
 * signature such as {@code "dev.jgen.train.Fit dev.jgen.train.Fit.batchSize(int size)"} names.
 */
final class SourceDocs {
    private static final String ROOT = "jgen-sources/";

    /** Source file path by top-level class: qualified ({@code dev.jgen.Gen}) and simple ({@code Gen}). */
    private final Map<String, String> files;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    /** A source file's syntax tree, and the compiler's view that reads its comments. */
    private record Parsed(CompilationUnitTree unit, Trees trees) {}

    private SourceDocs(Map<String, String> files) {
        this.files = files;
    }

    /** The sources packed beside this class: in the kernel jar, or in the build's classes folder. */
    static SourceDocs shipped() {
        Map<String, String> files = new HashMap<>();
        for (String path : sourcePaths()) {
            String qualified = path.replace('/', '.').replaceAll("\\.java$", "");
            files.put(qualified, path);
            files.putIfAbsent(qualified.substring(qualified.lastIndexOf('.') + 1), path);
        }
        return new SourceDocs(files);
    }

    private static List<String> sourcePaths() {
        try {
            Path location = Path.of(SourceDocs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                Path root = location.resolve(ROOT);
                if (!Files.isDirectory(root)) {
                    return List.of();
                }
                try (Stream<Path> walk = Files.walk(root)) {
                    return walk.filter(p -> p.toString().endsWith(".java")).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
                }
            }
            try (ZipFile jar = new ZipFile(location.toFile())) {
                return jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith(ROOT) && n.endsWith(".java"))
                        .map(n -> n.substring(ROOT.length())).toList();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of();
        }
    }

    /** The javadoc of the class, method, constructor or field a JShell signature names, as plain text, or null. */
    String javadoc(String signature) {
        int paren = signature.indexOf('(');
        String head = paren < 0 ? signature : signature.substring(0, paren);
        String name = head.substring(head.lastIndexOf(' ') + 1);
        List<String> parameters = paren < 0 ? null : parameterTypes(signature.substring(paren + 1, signature.lastIndexOf(')')));
        List<String> parts = List.of(name.split("\\."));
        for (int k = parts.size(); k >= 1; k--) {
            String file = files.get(String.join(".", parts.subList(0, k)));
            if (file != null) {
                String doc = find(file, parts.subList(k - 1, parts.size()), parameters);
                if (doc != null) {
                    return doc;
                }
            }
        }
        return null;
    }

    /** {@code path}: the top-level class's simple name, nested class names, then perhaps a member. */
    private String find(String file, List<String> path, List<String> parameters) {
        Parsed source = parsed.computeIfAbsent(file, SourceDocs::parse);
        if (source == null) {
            return null;
        }
        CompilationUnitTree unit = source.unit();
        for (Tree type : unit.getTypeDecls()) {
            TreePath found = member(new TreePath(new TreePath(unit), type), path, 0, parameters);
            if (found != null) {
                String comment = source.trees().getDocComment(found);
                if (comment != null) {
                    return plain(comment);
                }
                return found.getLeaf() instanceof MethodTree m ? inherited(found.getParentPath(), m.getName().toString(), parameters) : null;
            }
        }
        return null;
    }

    /** An overriding method without a comment of its own has its parent's, as javadoc itself would show. */
    private String inherited(TreePath owner, String method, List<String> parameters) {
        if (!(owner.getLeaf() instanceof ClassTree type)) {
            return null;
        }
        List<Tree> parents = new ArrayList<>(type.getImplementsClause());
        if (type.getExtendsClause() != null) {
            parents.add(0, type.getExtendsClause());
        }
        for (Tree parent : parents) {
            String name = simpleType(parent.toString());
            String file = files.get(name);
            String doc = file == null ? null : find(file, List.of(name, method), parameters);
            if (doc != null) {
                return doc;
            }
        }
        return null;
    }

    private static TreePath member(TreePath at, List<String> path, int index, List<String> parameters) {
        Tree tree = at.getLeaf();
        String wanted = path.get(index);
        boolean last = index == path.size() - 1;
        if (tree instanceof ClassTree type && type.getSimpleName().contentEquals(wanted)) {
            if (last && parameters == null) {
                return at;
            }
            for (Tree child : type.getMembers()) {
                TreePath found = index + 1 < path.size() ? member(new TreePath(at, child), path, index + 1, parameters) : null;
                if (found != null) {
                    return found;
                }
                if (last && child instanceof MethodTree m && m.getName().contentEquals("<init>") && sameParameters(m, parameters)) {
                    return new TreePath(at, child);
                }
            }
            return null;
        }
        if (!last) {
            return null;
        }
        if (tree instanceof MethodTree m && m.getName().contentEquals(wanted) && sameParameters(m, parameters)) {
            return at;
        }
        if (tree instanceof VariableTree v && v.getName().contentEquals(wanted) && parameters == null) {
            return at;
        }
        return null;
    }

    private static boolean sameParameters(MethodTree method, List<String> parameters) {
        return parameters != null && parameters.equals(method.getParameters().stream().map(p -> simpleType(p.getType().toString())).toList());
    }

    /** "int size, java.util.Map<java.lang.String,java.lang.Integer> m" to [int, Map]. */
    private static List<String> parameterTypes(String list) {
        List<String> types = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                String parameter = list.substring(start, i).strip();
                if (!parameter.isEmpty()) {
                    int space = parameter.lastIndexOf(' ');
                    types.add(simpleType(space < 0 ? parameter : parameter.substring(0, space)));
                }
                start = i + 1;
            }
        }
        return types;
    }

    /** Without type arguments, package or outer class, with varargs as arrays: {@code java.util.List<X>...} is {@code List[]}. */
    private static String simpleType(String type) {
        String t = type.replace("...", "[]").strip();
        while (t.contains("<")) {
            t = t.replaceAll("<[^<>]*>", "");
        }
        int brackets = t.indexOf('[');
        String base = brackets < 0 ? t : t.substring(0, brackets);
        return base.substring(base.lastIndexOf('.') + 1) + (brackets < 0 ? "" : t.substring(brackets).replace(" ", ""));
    }

    private static Parsed parse(String file) {
        try (InputStream in = SourceDocs.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return null;
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            SimpleJavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + file), SimpleJavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(unit));
            return new Parsed(task.parse().iterator().next(), Trees.instance(task));
        } catch (IOException e) {
            return null;
        }
    }

    /** Javadoc markup to text a tooltip shows: code as written, paragraphs as blank lines, links as their names. */
    static String plain(String comment) {
        String text = comment
                .replaceAll("\\{@(?:code|literal) ((?:[^{}]|\\{[^{}]*\\})*)\\}", "$1")
                .replaceAll("\\{@link(?:plain)? [^\\s}]+ ([^}]+)\\}", "$1")
                .replaceAll("\\{@link(?:plain)? (?:[\\w.]*#)?([^\\s}]+)\\}", "$1")
                .replaceAll("(?i)\\s*<p>\\s*", "\n\n")
                .replaceAll("(?i)<li>", "\n- ")
                .replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return Arrays.stream(text.split("\n")).map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip();
    }
}
