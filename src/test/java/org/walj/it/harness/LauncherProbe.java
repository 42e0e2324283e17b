package org.walj.it.harness;

import java.lang.management.ManagementFactory;

/**
 * Stand-in main class for {@code org.walj.it.LauncherIT}: reports what the launcher started (JDK feature version, JVM
 * options, arguments, jar, file-name encoding, locale variables) and exits with a chosen code ({@code exit N}). As
 * {@code daemon} it prints {@code ready} after that and waits (at most two minutes) to be stopped, as a daemon is.
 */
public final class LauncherProbe {

    private LauncherProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("feature=" + Runtime.version().feature());
        System.out.println("jar=" + LauncherProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            System.out.println("jvm=" + option);
        }
        System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LANG"}) {
            System.out.println("env=" + name + "=" + System.getenv(name));
        }
        for (String arg : args) {
            System.out.println("arg=" + arg);
        }
        if (args.length == 2 && args[0].equals("exit")) {
            System.exit(Integer.parseInt(args[1]));
        }
        if (args.length > 0 && args[0].equals("daemon")) {
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
