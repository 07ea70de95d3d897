package msfctl.inspector;

import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.StringUtils;

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an application's stream graph and job graph the way a Flink client does before submission
 * ({@code main()} runs until {@code execute()}, which aborts in a plan-capturing environment), and describes
 * every operator with the identifiers Flink uses to match savepoint state.
 */
final class JobGraphInspector {
    private JobGraphInspector() {}

    static Map<String, Object> inspect(File jar, String entryClass, String[] args, int parallelism) throws Exception {
        Configuration conf = new Configuration();
        PackagedProgram program = PackagedProgram.newBuilder()
                .setJarFile(jar)
                .setEntryPointClassName(entryClass)
                .setArguments(args)
                .setConfiguration(conf)
                .build();
        try {
            Pipeline pipeline = PackagedProgramUtils.getPipelineFromProgram(program, conf, parallelism, true);
            if (!(pipeline instanceof StreamGraph streamGraph)) {
                throw new InspectionException("unsupported-pipeline",
                        "the program built a " + pipeline.getClass().getSimpleName()
                                + ", not a DataStream/Table StreamGraph; only streaming jobs can be inspected");
            }
            ClassLoader userClassLoader = program.getUserCodeClassLoader();
            return describe(streamGraph, userClassLoader, program.getMainClassName(), parallelism);
        } finally {
            program.close();
        }
    }

    private static Map<String, Object> describe(StreamGraph streamGraph, ClassLoader userClassLoader,
                                                String mainClass, int parallelism) {
        // The same hasher the job-graph generator uses; the job graph below cross-checks every id.
        Map<Integer, byte[]> generatedHashes = new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(streamGraph);
        List<StreamNode> nodes = new ArrayList<>(streamGraph.getStreamNodes());
        nodes.sort(Comparator.comparingInt(StreamNode::getId));
        // Classify before the job graph is generated: generation may replace operator factories.
        Map<Integer, StatefulnessClassifier.Result> classes = new HashMap<>();
        for (StreamNode node : nodes) classes.put(node.getId(), StatefulnessClassifier.classify(node, userClassLoader));

        JobGraph jobGraph = withContextClassLoader(userClassLoader, () -> streamGraph.getJobGraph(userClassLoader, null));
        Map<OperatorID, JobVertex> vertexByOperator = new HashMap<>();
        Map<OperatorID, OperatorIDPair> pairByOperator = new HashMap<>();
        for (JobVertex vertex : jobGraph.getVertices()) {
            for (OperatorIDPair pair : vertex.getOperatorIDs()) {
                vertexByOperator.put(pair.getGeneratedOperatorID(), vertex);
                pairByOperator.put(pair.getGeneratedOperatorID(), pair);
            }
        }

        List<Map<String, Object>> operators = new ArrayList<>();
        for (StreamNode node : nodes) {
            byte[] hash = generatedHashes.get(node.getId());
            OperatorID generated = hash == null ? null : new OperatorID(hash);
            JobVertex vertex = generated == null ? null : vertexByOperator.get(generated);
            if (vertex == null) {
                throw new InspectionException("hash-mismatch", "operator '" + node.getOperatorName() + "' (node "
                        + node.getId() + ") has no OperatorID in the generated job graph; the inspector's hashing "
                        + "does not match this Flink version's job-graph generator");
            }
            OperatorIDPair pair = pairByOperator.get(generated);
            String userDefined = pair.getUserDefinedOperatorID().map(OperatorID::toHexString).orElse(null);
            StatefulnessClassifier.Result state = classes.get(node.getId());

            Map<String, Object> op = new LinkedHashMap<>();
            op.put("nodeId", node.getId());
            op.put("name", node.getOperatorName());
            op.put("uid", node.getTransformationUID());
            op.put("userHash", node.getUserHash());
            op.put("operatorId", generated.toHexString());
            op.put("userDefinedOperatorId", userDefined);
            op.put("vertexId", vertex.getID().toHexString());
            op.put("vertexName", vertex.getName());
            op.put("parallelism", vertex.getParallelism());
            // Max parallelism is a per-vertex property in savepoints; -1 means "not configured".
            op.put("maxParallelism", vertex.getMaxParallelism());
            op.put("keyed", node.getStateKeySerializer() != null);
            op.put("operatorClass", state.operatorClass());
            op.put("state", state.level().name());
            op.put("stateReasons", state.reasons());
            operators.add(op);
        }

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", streamGraph.getJobName());
        job.put("mainClass", mainClass);
        job.put("defaultParallelism", parallelism);
        job.put("vertices", jobGraph.getNumberOfVertices());

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("job", job);
        result.put("operators", operators);
        return result;
    }

    static String runtimeFlinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    static String hex(byte[] bytes) {
        return StringUtils.byteToHexString(bytes);
    }

    private interface Action<T> {
        T run();
    }

    private static <T> T withContextClassLoader(ClassLoader loader, Action<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
