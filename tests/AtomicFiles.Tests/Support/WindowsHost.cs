using System.Runtime.InteropServices;

namespace AtomicFiles.Tests.Support;

/// <summary>What kind of Windows the suite runs on: Windows itself, or Wine (as .ci/run runs it).</summary>
internal static class WindowsHost
{
    /// <summary>Whether this is Wine: its ntdll exports wine_get_version, which no Windows has.</summary>
    internal static bool IsWine { get; } = OperatingSystem.IsWindows()
        && NativeLibrary.TryLoad("ntdll.dll", out var ntdll)
        && NativeLibrary.TryGetExport(ntdll, "wine_get_version", out _);

    /// <summary>
    /// Whether a rename here replaces a file that a reader holds open with FILE_SHARE_DELETE, as Unix renames always do.
    /// Windows does on NTFS (the test directories are there); Wine 8 refuses the POSIX-semantics rename
    /// (SetFileInformationByHandle answers ERROR_INVALID_PARAMETER to FileRenameInfoEx), and its classic rename (MoveFileEx's), as Windows',
    /// fails with ERROR_ACCESS_DENIED while the target is open.
    /// </summary>
    internal static bool ReadersNeverBlockReplace => !IsWine;
}
