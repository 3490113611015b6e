package dev.jgen.kernel.eval;

import dev.jgen.Internal;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
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
        return options.stream()
                .filter(o -> !(hideHelpers && isMethod(o) && (OBJECT_METHODS.contains(nameOf(o)) || isInternal(receiver, nameOf(o)))))
                .sorted(Comparator.comparingInt(o -> declaredAt(receiver, o, depth)))
                .toList();
    }

    private static boolean isMethod(String option) {
        return option.indexOf('(') > 0;
    }

    private static String nameOf(String option) {
        int paren = option.indexOf('(');
        return paren < 0 ? option : option.substring(0, paren);
    }

    /** True if any method of that name anywhere in the receiver's type hierarchy is marked internal. */
    private static boolean isInternal(Class<?> receiver, String name) {
        if (receiver == null) {
            return false;
        }
        for (Class<?> type : supertypeDepths(receiver).keySet()) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.isAnnotationPresent(Internal.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How far up the hierarchy the nearest public method of that name is declared: 0 for the receiver's own. */
    private static int declaredAt(Class<?> receiver, String option, Map<Class<?>, Integer> depth) {
        if (receiver == null || !isMethod(option)) {
            return 0;
        }
        String name = nameOf(option);
        return Arrays.stream(receiver.getMethods()).filter(m -> m.getName().equals(name))
                .mapToInt(m -> depth.getOrDefault(m.getDeclaringClass(), Integer.MAX_VALUE - 1)).min().orElse(Integer.MAX_VALUE);
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
