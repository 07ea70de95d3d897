package msflocal.propertiesagent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Rewrites the body of the no-argument {@code getApplicationProperties()} of every loaded copy of
 * {@code KinesisAnalyticsRuntime} (in whatever class loader, relocated or not) to
 * {@code return getApplicationProperties("<path>");}. The library's own file-reading overload does the rest, so
 * parsing, the empty map for a missing file, and the exceptions stay exactly the library's.
 */
final class KinesisAnalyticsRuntimeTransformer implements ClassFileTransformer {
    /** Matches the original package and copies relocated under a prefix by a user's shade configuration. */
    private static final String CLASS_SUFFIX = "com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime";

    private static final String METHOD = "getApplicationProperties";
    private static final String NO_ARG_DESC = "()Ljava/util/Map;";
    private static final String PATH_ARG_DESC = "(Ljava/lang/String;)Ljava/util/Map;";

    private final String propertiesFile;

    KinesisAnalyticsRuntimeTransformer(String propertiesFile) {
        this.propertiesFile = propertiesFile;
    }

    @Override
    public byte[] transform(
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (className == null || !className.endsWith(CLASS_SUFFIX)) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(classfileBuffer);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            RedirectingVisitor visitor = new RedirectingVisitor(writer, className);
            reader.accept(visitor, 0);
            if (!visitor.redirected) {
                System.err.println("msf-local properties-agent: " + className + " has no " + METHOD + NO_ARG_DESC + "; left as is");
                return null;
            }
            System.err.println("msf-local properties-agent: " + className + "." + METHOD + "() reads " + propertiesFile);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            // A transformer's exception is swallowed by the JVM: say why the class stays unchanged.
            System.err.println("msf-local properties-agent: could not rewrite " + className + ": " + e);
            return null;
        }
    }

    private final class RedirectingVisitor extends ClassVisitor {
        private final String owner;
        private boolean hasPathOverload;
        boolean redirected;

        RedirectingVisitor(ClassVisitor next, String owner) {
            super(Opcodes.ASM9, next);
            this.owner = owner;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            if (isStatic && METHOD.equals(name) && PATH_ARG_DESC.equals(descriptor)) {
                hasPathOverload = true;
            }
            if (!(isStatic && METHOD.equals(name) && NO_ARG_DESC.equals(descriptor))) {
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            mv.visitCode();
            mv.visitLdcInsn(propertiesFile);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, METHOD, PATH_ARG_DESC, false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(1, 0);
            mv.visitEnd();
            redirected = true;
            // Returning null drops the original body: the method now holds only the code written above.
            return null;
        }

        @Override
        public void visitEnd() {
            if (redirected && !hasPathOverload) {
                // Without the overload the new body would fail at run time with NoSuchMethodError: refuse instead.
                throw new IllegalStateException("no " + METHOD + PATH_ARG_DESC + " overload to delegate to");
            }
            super.visitEnd();
        }
    }
}
