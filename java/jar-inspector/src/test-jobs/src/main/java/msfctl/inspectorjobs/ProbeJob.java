package msfctl.inspectorjobs;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import java.time.Duration;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Properties;

/**
 * Reports, through its operator names, what its main() could do before execute(): read property group
 * {@code Probe} (through the no-argument KinesisAnalyticsRuntime call, as MSF applications do), open a socket,
 * open an NIO channel, resolve a host name. The window's uid comes from the properties too.
 */
public final class ProbeJob {
    private ProbeJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, Properties> groups = KinesisAnalyticsRuntime.getApplicationProperties();
        Properties probe = groups.getOrDefault("Probe", new Properties());
        String host = probe.getProperty("host", "127.0.0.1");
        int port = Integer.parseInt(probe.getProperty("port", "9"));
        String windowUid = probe.getProperty("windowUid", "window");

        String socket = attempt(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
            }
        });
        String channel = attempt(() -> {
            try (SocketChannel c = SocketChannel.open()) {
                c.socket().connect(new InetSocketAddress(host, port), 2000);
            }
        });
        String dns = attempt(() -> InetAddress.getByName(probe.getProperty("resolve", "example.com")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(1), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "groups=" + String.join(",", groups.keySet()))
                .uid("ticks")
                .map(x -> x)
                .name("socket=" + socket + " channel=" + channel + " dns=" + dns)
                .keyBy(x -> x % 2)
                .window(TumblingProcessingTimeWindows.of(Duration.ofSeconds(5)))
                .reduce(Long::sum)
                .uid(windowUid)
                .name("window")
                .sinkTo(new DiscardingSink<>())
                .uid("discard");
        env.execute("probe");
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static String attempt(Attempt attempt) {
        try {
            attempt.run();
            return "connected";
        } catch (Exception blocked) {
            return "blocked";
        }
    }
}
