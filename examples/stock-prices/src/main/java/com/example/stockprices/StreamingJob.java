package com.example.stockprices;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.formats.json.JsonSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The seed's sample: generated stock prices → per-ticker average over tumbling processing-time windows → Kinesis.
 *
 * <p>Configuration comes only from the MSF runtime properties, read exactly as on Managed Service for Apache Flink:
 * property group {@code OutputStream0} names the stream ({@code stream.name}) and is handed whole to the Kinesis
 * client ({@code aws.region}, and any other {@code aws.*} client setting). The optional group {@code StockPrices}
 * overrides the build's window, as real jobs build their graph from their properties: {@code window.uid} (the
 * window operator's uid) and {@code window.enabled} ({@code false}: no window, the generator wired to the sink).
 */
public class StreamingJob {
    static final String OUTPUT_GROUP = "OutputStream0";
    static final String STREAM_NAME = "stream.name";
    static final String JOB_GROUP = "StockPrices";
    static final int EVENTS_PER_SECOND = 100;

    public static void main(String[] args) throws Exception {
        BuildVariant variant = BuildVariant.load();
        Map<String, Properties> applicationProperties = KinesisAnalyticsRuntime.getApplicationProperties();
        Properties output = applicationProperties.get(OUTPUT_GROUP);
        if (output == null || output.getProperty(STREAM_NAME) == null) {
            throw new IllegalArgumentException(
                    "Runtime property group " + OUTPUT_GROUP + " with key " + STREAM_NAME
                            + " is required (groups found: " + applicationProperties.keySet() + ")");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        DataGeneratorSource<StockPrice> generator = new DataGeneratorSource<>(
                new StockPriceGenerator(),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(EVENTS_PER_SECOND),
                TypeInformation.of(StockPrice.class));
        DataStream<StockPrice> prices = env
                .fromSource(generator, WatermarkStrategy.noWatermarks(), "data-generator")
                .uid("source-stream")
                .setParallelism(1);

        Properties job = applicationProperties.getOrDefault(JOB_GROUP, new Properties());
        boolean windowEnabled =
                Boolean.parseBoolean(job.getProperty("window.enabled", String.valueOf(variant.windowEnabled)));
        String windowUid = job.getProperty("window.uid", variant.windowUid);
        DataStream<StockPrice> toSink = windowEnabled ? windowedAverages(prices, variant, windowUid) : prices;

        toSink.sinkTo(kinesisSink(output)).uid("kinesis-sink").name("kinesis-sink");

        env.execute("Stock prices (" + variant.name + ")");
    }

    private static DataStream<StockPrice> windowedAverages(
            DataStream<StockPrice> prices, BuildVariant variant, String windowUid) {
        WindowedStream<StockPrice, String, TimeWindow> windows = prices
                .keyBy(StockPrice::getTicker)
                .window(TumblingProcessingTimeWindows.of(Duration.ofSeconds(variant.windowSeconds)));
        SingleOutputStreamOperator<StockPrice> averages;
        switch (variant.windowAccumulator) {
            case "sum-and-long-count":
                averages = windows.aggregate(new AveragePrice.Aggregate(), new AveragePrice.Emit());
                break;
            case "sum-and-int-count":
                averages = windows.aggregate(new AveragePrice.IntCountAggregate(), new AveragePrice.Emit());
                break;
            default:
                throw new IllegalStateException("unknown window.accumulator " + variant.windowAccumulator);
        }
        return averages.uid(windowUid).name("windowed-avg-price");
    }

    private static KinesisStreamsSink<StockPrice> kinesisSink(Properties output) {
        return KinesisStreamsSink.<StockPrice>builder()
                .setKinesisClientProperties(output)
                .setStreamName(output.getProperty(STREAM_NAME))
                .setSerializationSchema(new JsonSerializationSchema<>())
                .setPartitionKeyGenerator(StockPrice::getTicker)
                .build();
    }
}
