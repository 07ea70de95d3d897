package msflocal.propertiesagent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of the agent: {@code -javaagent:properties-agent.jar=<path of application_properties.json>}.
 *
 * <p>On MSF the no-argument {@code KinesisAnalyticsRuntime.getApplicationProperties()} reads the fixed path
 * {@code /etc/flink/application_properties.json} (named in the library's bundled {@code config.properties}).
 * msf-local runs several applications on one machine, each in its own JVM, so each JVM's agent points that call
 * at the application's own file instead. User code and its jar stay untouched.
 */
public final class PropertiesAgent {
    private PropertiesAgent() {}

    public static void premain(String agentArgs, Instrumentation inst) {
        if (agentArgs == null || agentArgs.isBlank()) {
            throw new IllegalArgumentException(
                    "properties-agent needs the properties file path: -javaagent:properties-agent.jar=<path>");
        }
        inst.addTransformer(new KinesisAnalyticsRuntimeTransformer(agentArgs.trim()));
    }
}
