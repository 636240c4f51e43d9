namespace AtomicFiles.Platform.Windows;

/// <summary>Full paths as kernel32 takes them past MAX_PATH: the BCL adds this prefix itself, our own P/Invokes must too.</summary>
internal static class Win32Path
{
    // MAX_PATH (260) less the room a directory path keeps for an 8.3 name, as the BCL counts it.
    private const int MaxShortDirectoryPath = 248;

    /// <summary>The full path <paramref name="path"/>, with the extended-length prefix when it is long enough to need it.</summary>
    internal static string Extended(string path) =>
        path.Length < MaxShortDirectoryPath || path.StartsWith(@"\\?\", StringComparison.Ordinal) || path.StartsWith(@"\\.\", StringComparison.Ordinal)
            ? path
            : path.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + path[2..] : @"\\?\" + path;
}
