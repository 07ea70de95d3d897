package msfctl.inspector;

import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a savepoint's or retained checkpoint's {@code _metadata} and lists its operators, marking those that
 * carry state with the test Flink applies before "Cannot map checkpoint/savepoint state ... to the new program":
 * coordinator state present, or any subtask state with {@code hasState()}.
 */
final class SavepointReader {
    private SavepointReader() {}

    static Map<String, Object> read(String pointer) throws IOException {
        CompletedCheckpointStorageLocation location = AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(pointer);
        CheckpointMetadata metadata;
        try (InputStream in = location.getMetadataHandle().openInputStream()) {
            metadata = Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in), SavepointReader.class.getClassLoader(), location.getExternalPointer());
        }

        List<OperatorState> states = new ArrayList<>(metadata.getOperatorStates());
        states.sort(Comparator.comparing(s -> s.getOperatorID().toHexString()));
        List<Map<String, Object>> operators = new ArrayList<>();
        for (OperatorState state : states) {
            int subtasksWithState = 0;
            for (OperatorSubtaskState subtask : state.getStates()) {
                if (subtask.hasState()) subtasksWithState++;
            }
            boolean coordinator = state.getCoordinatorState() != null;
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("operatorId", state.getOperatorID().toHexString());
            op.put("hasState", coordinator || subtasksWithState > 0);
            op.put("coordinatorState", coordinator);
            op.put("subtasksWithState", subtasksWithState);
            op.put("parallelism", state.getParallelism());
            op.put("maxParallelism", state.getMaxParallelism());
            // Flink 2.x records the operator's name and uid in the metadata; 1.x does not.
            op.put("name", optionalString(state, "getOperatorName"));
            op.put("uid", optionalString(state, "getOperatorUid"));
            operators.add(op);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", location.getExternalPointer());
        result.put("checkpointId", metadata.getCheckpointId());
        result.put("operators", operators);
        return result;
    }

    private static String optionalString(OperatorState state, String getter) {
        try {
            Method method = OperatorState.class.getMethod(getter);
            Object value = method.invoke(state);
            if (value instanceof Optional<?> optional) return optional.map(Object::toString).orElse(null);
            return value == null ? null : value.toString();
        } catch (NoSuchMethodException olderFlink) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call OperatorState." + getter, e);
        }
    }
}
