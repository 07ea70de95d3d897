package msfctl.inspector;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.runtime.jobgraph.OperatorID;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OperatorID Flink derives from a uid, computed by Flink itself: a one-operator graph carrying the uid is
 * hashed with {@link StreamGraphHasherV2}. Used to cross-check other implementations of the hash.
 */
final class OperatorIds {
    private OperatorIds() {}

    static Map<String, Object> fromUids(List<String> uids) {
        Map<String, Object> ids = new LinkedHashMap<>();
        for (String uid : uids) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.fromSequence(0, 1).uid(uid).print();
            StreamGraph graph = env.getStreamGraph();
            Map<Integer, byte[]> hashes = new StreamGraphHasherV2().traverseStreamGraphAndGenerateHashes(graph);
            String id = null;
            for (StreamNode node : graph.getStreamNodes()) {
                if (uid.equals(node.getTransformationUID())) id = new OperatorID(hashes.get(node.getId())).toHexString();
            }
            if (id == null) throw new IllegalStateException("no stream node carries uid " + uid);
            ids.put(uid, id);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("operatorIds", ids);
        return result;
    }
}
