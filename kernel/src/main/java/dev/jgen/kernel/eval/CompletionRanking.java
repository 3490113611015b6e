package dev.jgen.kernel.eval;

import dev.jgen.Internal;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Orders Tab completions the way a DSL reads: the receiver's own methods first, then its parents', and leaves
 * out {@code Object}'s methods and jgen's {@link Internal} helpers, unless the user has typed their first letters.
 */
final class CompletionRanking {
    private static final Set<String> OBJECT_METHODS = Arrays.stream(Object.class.getMethods()).map(Method::getName).collect(Collectors.toSet());

    private CompletionRanking() {}

    /**
     * {@code options} are JShell's continuations ({@code "toString()"}, {@code "fit("}), {@code typed} what the
     * user typed of the name, {@code receiver} the type before the dot (null when unknown or a static context).
     */
    static List<String> rank(List<String> options, String typed, Class<?> receiver) {
        boolean hideHelpers = typed.isEmpty();
        Map<Class<?>, Integer> depth = receiver == null ? Map.of() : supertypeDepths(receiver);
        Map<String, Integer> declaredAt = receiver == null ? Map.of() : nearestDeclarations(receiver, depth);
        Set<String> internal = internalNames(depth.keySet());
        return options.stream()
                .filter(o -> !(hideHelpers && isMethod(o) && (OBJECT_METHODS.contains(nameOf(o)) || internal.contains(nameOf(o)))))
                .sorted(Comparator.comparingInt(o -> receiver != null && isMethod(o) ? declaredAt.getOrDefault(nameOf(o), Integer.MAX_VALUE) : 0))
                .toList();
    }

    private static boolean isMethod(String option) {
        return option.indexOf('(') > 0;
    }

    private static String nameOf(String option) {
        int paren = option.indexOf('(');
        return paren < 0 ? option : option.substring(0, paren);
    }

    /** Names of which some method anywhere in these types is marked internal. */
    private static Set<String> internalNames(Set<Class<?>> types) {
        Set<String> names = new HashSet<>();
        for (Class<?> type : types) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Internal.class)) {
                    names.add(m.getName());
                }
            }
        }
        return names;
    }

    /** Each public method name with how far up the hierarchy its nearest declaration is: 0 for the receiver's own. */
    private static Map<String, Integer> nearestDeclarations(Class<?> receiver, Map<Class<?>, Integer> depth) {
        Map<String, Integer> nearest = new HashMap<>();
        for (Method m : receiver.getMethods()) {
            nearest.merge(m.getName(), depth.getOrDefault(m.getDeclaringClass(), Integer.MAX_VALUE - 1), Math::min);
        }
        return nearest;
    }

    /** The receiver, its superclasses and interfaces, each with its distance from the receiver (breadth first). */
    private static Map<Class<?>, Integer> supertypeDepths(Class<?> receiver) {
        Map<Class<?>, Integer> depth = new LinkedHashMap<>();
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(receiver));
        depth.put(receiver, 0);
        while (!queue.isEmpty()) {
            Class<?> type = queue.poll();
            int next = depth.get(type) + 1;
            Class<?> parent = type.getSuperclass();
            for (Class<?> up : parent == null ? type.getInterfaces() : prepend(parent, type.getInterfaces())) {
                if (up != Object.class && !depth.containsKey(up)) {
                    depth.put(up, next);
                    queue.add(up);
                }
            }
        }
        depth.put(Object.class, depth.size());
        return depth;
    }

    private static Class<?>[] prepend(Class<?> first, Class<?>[] rest) {
        Class<?>[] all = new Class<?>[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
