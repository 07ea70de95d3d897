package msfctl.inspector;

import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an operator of the stream graph holds (or may hold) state, and why.
 *
 * <p>Statefulness is not fully knowable without running the job: a keyed function may or may not use keyed
 * state. The classifier says {@code stateful} when the operator kind always snapshots state (sources, windows,
 * committers, stateful sink writers, checkpointed functions), {@code maybe} when it can (keyed operators,
 * operators that override state hooks), else {@code stateless}. The savepoint reader gives the ground truth.
 *
 * <p>Flink-version-specific types are matched by class name so that one source compiles against 1.19, 1.20, 2.x.
 */
final class StatefulnessClassifier {
    enum Level { stateful, maybe, stateless }

    record Result(Level level, List<String> reasons, String operatorClass) {}

    private StatefulnessClassifier() {}

    static Result classify(StreamNode node, ClassLoader userClassLoader) {
        List<String> definite = new ArrayList<>();
        List<String> possible = new ArrayList<>();
        StreamOperatorFactory<?> factory = node.getOperatorFactory();
        Class<?> operatorClass = operatorClass(factory, userClassLoader);

        if (factory != null && isA(factory.getClass(), "org.apache.flink.streaming.api.operators.SourceOperatorFactory")) {
            definite.add("source (split and enumerator state)");
        }
        if (factory instanceof SinkWriterOperatorFactory<?, ?> sinkFactory) {
            Object sink = sinkFactory.getSink();
            if (isA(sink.getClass(), "org.apache.flink.api.connector.sink2.SupportsWriterState")
                    || isA(sink.getClass(), "org.apache.flink.api.connector.sink2.StatefulSink")) {
                definite.add("sink writer state (" + sink.getClass().getSimpleName() + ")");
            }
        }
        if (factory != null && isA(factory.getClass(), "org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory")) {
            definite.add("sink committer state");
        }
        if (factory instanceof SimpleOperatorFactory<?> simple) {
            StreamOperator<?> operator = simple.getOperator();
            if (operator instanceof AbstractUdfStreamOperator<?, ?> udfOperator) {
                Object function = udfOperator.getUserFunction();
                if (isA(function.getClass(), "org.apache.flink.streaming.api.checkpoint.CheckpointedFunction")) {
                    definite.add(function.getClass().getName() + " implements CheckpointedFunction");
                } else if (isA(function.getClass(), "org.apache.flink.streaming.api.checkpoint.ListCheckpointed")) {
                    definite.add(function.getClass().getName() + " implements ListCheckpointed");
                }
            }
        }
        if (operatorClass != null) {
            String simpleName = operatorClass.getSimpleName();
            if (simpleName.contains("WindowOperator")) {
                definite.add("window state (" + simpleName + ")");
            } else if (simpleName.contains("Broadcast")) {
                definite.add("broadcast state (" + simpleName + ")");
            } else if (simpleName.equals("AsyncWaitOperator")) {
                definite.add("async I/O in-flight records");
            } else if (definite.isEmpty() && !(factory instanceof SinkWriterOperatorFactory<?, ?>)) {
                // A sink writer's state hooks only matter for stateful sinks, which are recognised above.
                String hook = userStateHook(operatorClass);
                if (hook != null) possible.add(hook);
            }
        }
        if (node.getStateKeySerializer() != null) {
            if (operatorClass != null && operatorClass.getSimpleName().startsWith("Keyed")) {
                // Seen in savepoints: the timer service of a keyed process operator is snapshotted even when the
                // function registers no state, so Flink needs a home for it on restore.
                definite.add("keyed operator with a timer service (" + operatorClass.getSimpleName() + ")");
            } else {
                possible.add("keyed operator (keyBy): keyed state if its function uses any");
            }
        }

        String className = operatorClass == null ? null : operatorClass.getName();
        if (!definite.isEmpty()) {
            definite.addAll(possible);
            return new Result(Level.stateful, definite, className);
        }
        if (!possible.isEmpty()) return new Result(Level.maybe, possible, className);
        return new Result(Level.stateless, List.of(), className);
    }

    private static Class<?> operatorClass(StreamOperatorFactory<?> factory, ClassLoader userClassLoader) {
        if (factory == null) return null;
        if (factory instanceof SimpleOperatorFactory<?> simple) return simple.getOperator().getClass();
        try {
            return factory.getStreamOperatorClass(userClassLoader);
        } catch (RuntimeException | LinkageError unknown) {
            return null;
        }
    }

    /**
     * "operator X overrides initializeState" when a class outside Flink's abstract base operators declares a state
     * hook: such an operator may keep operator state.
     */
    private static String userStateHook(Class<?> operatorClass) {
        for (String hook : List.of("initializeState", "snapshotState")) {
            for (Class<?> c = operatorClass; c != null && c != Object.class; c = c.getSuperclass()) {
                if (declares(c, hook)) {
                    boolean flinkBase = c.getName().startsWith("org.apache.flink.") && c.getSimpleName().startsWith("Abstract");
                    if (!flinkBase) return operatorClass.getSimpleName() + " overrides " + hook;
                    break;
                }
            }
        }
        return null;
    }

    private static boolean declares(Class<?> c, String methodName) {
        try {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(methodName) && m.getParameterCount() == 1 && !m.isBridge()) return true;
            }
        } catch (LinkageError unresolvable) {
            return false;
        }
        return false;
    }

    /** True when {@code type} is, extends or implements the class named {@code name} (any class loader). */
    static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) return true;
            for (Class<?> i : c.getInterfaces()) {
                if (isA(i, name)) return true;
            }
        }
        return false;
    }
}
