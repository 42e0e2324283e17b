package org.walj.cli;

import java.util.List;
import java.util.Map;
import org.walj.pipeline.gpg.GpgVariables;
import org.walj.settings.SettingTable;
import org.walj.settings.Settings;
import org.walj.storage.RetrySettings;
import org.walj.storage.azure.AzureVariables;
import org.walj.storage.gcs.GcsVariables;
import org.walj.storage.s3.S3Variables;
import org.walj.storage.swift.SwiftVariables;

/**
 * The one complete table (docs/configuration.md): each package declares its own settings next to its code, and the
 * command line, above them all, puts them together for the process, the daemon's comparison and the docs test.
 */
final class AllSettings {
    static final SettingTable TABLE = SettingTable.of(CliVariables.ALL, GpgVariables.ALL, RetrySettings.ALL,
                    S3Variables.ALL, GcsVariables.ALL, AzureVariables.ALL, SwiftVariables.ALL,
                    LauncherVariables.ALL)
            .withFamilies(List.of(S3Variables.SDK, GcsVariables.CLIENT));

    private AllSettings() {
    }

    /** This process's settings, read once at start-up. */
    static Settings ofProcess() {
        return Settings.ofProcess(TABLE);
    }

    static Settings read(Map<String, String> environment) {
        return Settings.read(TABLE, environment);
    }
}
