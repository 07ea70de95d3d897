package msfctl.inspector;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Flink version an application JAR was built against, read from what the build left inside it.
 *
 * <p>Flink's own artifacts carry no {@code META-INF/maven} metadata, and a shaded JAR drops their manifests, so
 * the evidence is indirect. Strongest first:
 * <ol>
 *   <li>a {@code Flink-Version} attribute in the JAR's manifest (set by the application's build);
 *   <li>a bundled {@code .flink-runtime.version.properties} (flink-runtime shaded into the JAR);
 *   <li>bundled {@code org.apache.flink} {@code pom.properties} (artifacts built outside Flink's release);
 *   <li>{@code org.apache.flink:ARTIFACT:VERSION} coordinates in bundled NOTICE / DEPENDENCIES files;
 *   <li>the application's own {@code pom.xml}: its {@code flink.version} property, else the versions of its
 *       {@code org.apache.flink} dependencies. Maven profiles can change those at build time without changing the
 *       pom text, so when profiles name different versions the pom alone cannot tell which one was built, and
 *       a {@code -Dflink.version=…} override is invisible (reported as basis "pom-declaration").
 * </ol>
 * Connector versions name their Flink line as a suffix ({@code 4.3.0-1.19} → 1.19). When the strongest evidence
 * disagrees on the Flink line the version is reported as unknown, with all evidence.
 */
final class FlinkVersionDetector {
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
    private static final Pattern POM_XML = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.xml");
    private static final Pattern NOTICE_LIKE = Pattern.compile("META-INF/(NOTICE|DEPENDENCIES)(\\.txt)?");
    private static final Pattern COORDINATE = Pattern.compile("org\\.apache\\.flink:(flink-[A-Za-z0-9._-]+?):(?:jar:)?(\\d[A-Za-z0-9._-]*)");
    /** Artifacts versioned with Flink itself (not the externalised connectors, not flink-shaded). */
    private static final Pattern CORE_ARTIFACT = Pattern.compile(
            "flink-(core|core-api|java|streaming-java|runtime|runtime-web|clients|annotations|metrics-.+"
                    + "|connector-base|connector-datagen|connector-files|file-sink-common|json|csv|avro|parquet|orc"
                    + "|table-.+|statebackend-.+|datastream|datastream-api|hadoop-fs|cep|state-processor-api"
                    + "|queryable-state-.+|rpc-.+|optimizer|sql-(avro|csv|json|parquet|orc)|s3-fs-.+|azure-fs-.+)");
    private static final Pattern PLAIN_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?(-SNAPSHOT)?");
    private static final Pattern CONNECTOR_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?-(\\d+\\.\\d+)(-SNAPSHOT)?");
    /** Library poms whose flink.version says what they were built with, not what the application uses. */
    private static final Pattern LIBRARY_GROUP = Pattern.compile(
            "(com\\.amazonaws|software\\.amazon|org\\.apache|com\\.google|io\\.netty|com\\.fasterxml|org\\.slf4j|commons-).*");

    private FlinkVersionDetector() {}

    record Evidence(int strength, String source, String version, String line) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("source", source);
            json.put("version", version);
            json.put("line", line);
            return json;
        }
    }

    /** @param entryClass the class the job starts from (null: the manifest's Main-Class), to find the app's pom */
    static Map<String, Object> detect(File jar, String entryClass) throws IOException {
        List<Evidence> evidence = new ArrayList<>();
        List<Map.Entry<String, byte[]>> poms = new ArrayList<>();
        String mainClass = entryClass;
        try (JarFile jarFile = new JarFile(jar)) {
            Manifest manifest = jarFile.getManifest();
            if (manifest != null) {
                Attributes main = manifest.getMainAttributes();
                if (mainClass == null) mainClass = main.getValue("Main-Class");
                add(evidence, 5, "manifest attribute Flink-Version", main.getValue("Flink-Version"));
            }
            Enumeration<JarEntry> entries = jarFile.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                Matcher props = POM_PROPERTIES.matcher(name);
                Matcher pom = POM_XML.matcher(name);
                if (name.equals(".flink-runtime.version.properties")) {
                    Properties p = load(jarFile, entry);
                    add(evidence, 4, "bundled flink-runtime " + name, p.getProperty("project.version"));
                } else if (props.matches() && props.group(1).equals("org.apache.flink")) {
                    Properties p = load(jarFile, entry);
                    fromCoordinate(evidence, 3, "bundled ", p.getProperty("artifactId", props.group(2)), p.getProperty("version"));
                } else if (NOTICE_LIKE.matcher(name).matches()) {
                    String text = new String(read(jarFile, entry), StandardCharsets.UTF_8);
                    Matcher m = COORDINATE.matcher(text);
                    while (m.find()) fromCoordinate(evidence, 2, name + " lists ", m.group(1), m.group(2));
                } else if (pom.matches() && !pom.group(1).equals("org.apache.flink")) {
                    poms.add(Map.entry(name, read(jarFile, entry)));
                }
            }
        }
        fromApplicationPom(evidence, poms, mainClass);
        return summarise(evidence);
    }

    private static Map<String, Object> summarise(List<Evidence> evidence) {
        List<Evidence> unique = new ArrayList<>(new LinkedHashSet<>(evidence));
        unique.sort(Comparator.comparingInt(Evidence::strength).reversed().thenComparing(Evidence::source));
        Map<String, Object> result = new LinkedHashMap<>();
        if (unique.isEmpty()) {
            result.put("version", "unknown");
            result.put("line", null);
            result.put("source", null);
            result.put("ambiguous", false);
            result.put("basis", null);
        } else {
            int top = unique.get(0).strength();
            List<Evidence> strongest = unique.stream().filter(e -> e.strength() == top).toList();
            boolean ambiguous = strongest.stream().map(Evidence::line).distinct().count() > 1;
            Evidence best = strongest.stream()
                    .filter(e -> PLAIN_VERSION.matcher(e.version()).matches() && e.version().chars().filter(c -> c == '.').count() == 2)
                    .findFirst().orElse(strongest.get(0));
            result.put("version", ambiguous ? "unknown" : best.version());
            result.put("line", ambiguous ? null : best.line());
            result.put("source", ambiguous ? null : best.source());
            result.put("ambiguous", ambiguous);
            // A pom's text is only the default: -Dflink.version or a profile may have built something else.
            result.put("basis", ambiguous ? null : top >= 2 ? "build-metadata" : "pom-declaration");
        }
        result.put("evidence", unique.stream().map(Evidence::toJson).toList());
        return result;
    }

    private static void add(List<Evidence> evidence, int strength, String source, String version) {
        if (version == null) return;
        String line = lineOf(version);
        if (line != null) evidence.add(new Evidence(strength, source, version.trim(), line));
    }

    private static void fromCoordinate(List<Evidence> evidence, int strength, String prefix, String artifactId, String version) {
        if (version == null || artifactId.startsWith("flink-shaded")) return;
        String source = prefix + "org.apache.flink:" + artifactId + ":" + version;
        Matcher connector = CONNECTOR_VERSION.matcher(version);
        if (connector.matches()) {
            evidence.add(new Evidence(strength, source, connector.group(2), connector.group(2)));
        } else if (CORE_ARTIFACT.matcher(artifactId).matches()) {
            add(evidence, strength, source, version);
        }
    }

    /**
     * The application's pom: the one whose groupId prefixes the main class, else any pom outside well-known
     * library groups. Each profile is a separate build scenario.
     */
    private static void fromApplicationPom(List<Evidence> evidence, List<Map.Entry<String, byte[]>> poms, String mainClass) {
        List<Map.Entry<String, byte[]>> application = new ArrayList<>();
        for (Map.Entry<String, byte[]> pom : poms) {
            Matcher m = POM_XML.matcher(pom.getKey());
            if (m.matches() && mainClass != null && mainClass.startsWith(m.group(1) + ".")) application.add(pom);
        }
        if (application.isEmpty()) {
            for (Map.Entry<String, byte[]> pom : poms) {
                Matcher m = POM_XML.matcher(pom.getKey());
                if (m.matches() && !LIBRARY_GROUP.matcher(m.group(1)).matches()) application.add(pom);
            }
        }
        for (Map.Entry<String, byte[]> pom : application) {
            try {
                Element project = parse(pom.getValue());
                Map<String, String> base = properties(child(project, "properties"));
                List<Evidence> defaults = scenario(pom.getKey(), null, base, project);
                evidence.addAll(defaults);
                for (Element profile : children(child(project, "profiles"), "profile")) {
                    Map<String, String> props = new LinkedHashMap<>(base);
                    props.putAll(properties(child(profile, "properties")));
                    String id = text(child(profile, "id"));
                    List<Evidence> withProfile = scenario(pom.getKey(), id == null ? "?" : id, props, project, profile);
                    // Only profiles that change the Flink version are alternative builds worth naming.
                    if (!versions(withProfile).equals(versions(defaults))) evidence.addAll(withProfile);
                }
            } catch (Exception unreadablePom) {
                // A pom we cannot parse is no evidence.
            }
        }
    }

    /** One build scenario of a pom: flink.version if set, else the org.apache.flink dependency versions. */
    private static List<Evidence> scenario(String pomName, String profile, Map<String, String> props,
                                           Element... dependencyOwners) {
        List<Evidence> evidence = new ArrayList<>();
        String where = "pom " + pomName + (profile == null ? "" : " profile " + profile);
        String flinkVersion = resolve(props.get("flink.version"), props);
        if (flinkVersion != null) {
            add(evidence, 1, where + ": flink.version", flinkVersion);
            return evidence;
        }
        for (Element owner : dependencyOwners) {
            for (Element dependency : children(child(owner, "dependencies"), "dependency")) {
                if (!"org.apache.flink".equals(text(child(dependency, "groupId")))) continue;
                String version = resolve(text(child(dependency, "version")), props);
                String artifact = text(child(dependency, "artifactId"));
                if (version != null && artifact != null) fromCoordinate(evidence, 1, where + ": dependency ", artifact, version);
            }
        }
        return evidence;
    }

    private static List<String> versions(List<Evidence> evidence) {
        return evidence.stream().map(Evidence::version).sorted().toList();
    }

    private static String resolve(String value, Map<String, String> props) {
        if (value == null) return null;
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = props.get(m.group(1));
            if (replacement == null) return null;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** "1.19.1" → "1.19"; null when the text is not a Flink 1.x/2.x version. */
    static String lineOf(String version) {
        Matcher m = PLAIN_VERSION.matcher(version.trim());
        if (!m.matches()) return null;
        int major = Integer.parseInt(m.group(1));
        return major == 1 || major == 2 ? m.group(1) + "." + m.group(2) : null;
    }

    private static Element parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        Document doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml));
        return doc.getDocumentElement();
    }

    private static Map<String, String> properties(Element properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Element property : children(properties, null)) values.put(property.getTagName(), property.getTextContent().trim());
        return values;
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        if (parent == null) return found;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (tag == null || e.getTagName().equals(tag))) found.add(e);
        }
        return found;
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent().trim();
    }

    private static Properties load(JarFile jar, JarEntry entry) throws IOException {
        Properties p = new Properties();
        try (InputStream in = jar.getInputStream(entry)) {
            p.load(in);
        }
        return p;
    }

    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readNBytes(4 * 1024 * 1024);
        }
    }
}
