package org.walj.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's hook for programmatic configuration, registered in
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}. It runs when SLF4J initialises and stops Logback
 * from looking any further (no {@code logback.xml} lookup, no Joran parser loaded).
 */
public final class WalJLogbackConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogSetup.install(context, System.getenv(LogSetup.DESTINATION_ENV), System.err);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
