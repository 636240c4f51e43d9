using AtomicFiles.Platform;

namespace AtomicFiles.Tests.Support;

internal static class TempFiles
{
    /// <summary>The library's temp files in <paramref name="directory"/>.</summary>
    internal static string[] In(string directory) =>
        Directory.GetFiles(directory).Where(f => TempFileName.IsTempFileName(Path.GetFileName(f))).ToArray();
}

