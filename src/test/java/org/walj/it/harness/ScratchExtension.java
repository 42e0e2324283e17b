package org.walj.it.harness;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method a fresh {@link Scratch} parameter, prints the tail of every server log in it when the
 * test failed, and closes it afterwards (stopping servers, deleting files) whatever happened:
 *
 * <pre>{@code
 * @ExtendWith(ScratchExtension.class)
 * class SomeIT {
 *     @Test void works(Scratch scratch) { PgCluster pg = PgCluster.initdb(scratch, "pg"); ... }
 * }
 * }</pre>
 */
public final class ScratchExtension implements ParameterResolver, AfterTestExecutionCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ScratchExtension.class);
    private static final String KEY = "scratch";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Scratch.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        Scratch existing = store.get(KEY, Scratch.class);
        if (existing != null) {
            return existing;
        }
        boolean onDisk = context.getRequiredTestClass().isAnnotationPresent(OnDiskScratch.class)
                || "disk".equals(System.getProperty("walj.it.scratch"));
        Scratch scratch = Scratch.create(context.getRequiredTestMethod().getName(), !onDisk);
        store.put(KEY, scratch);
        return scratch;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Scratch scratch = context.getStore(NS).get(KEY, Scratch.class);
        if (scratch != null && context.getExecutionException().isPresent()) {
            System.err.println("test " + context.getDisplayName() + " failed; scratch tree " + scratch.root()
                    + " (keep it with -Dwalj.it.keep=true)");
            scratch.dumpServerLogs(80);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Scratch scratch = context.getStore(NS).remove(KEY, Scratch.class);
        if (scratch != null) {
            scratch.close();
        }
    }
}
