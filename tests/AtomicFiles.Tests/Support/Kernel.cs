using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Opens paths with libc's open(2) and nothing in between: .NET's file APIs collapse <c>..</c> as text before the
/// kernel sees a path, so they cannot be the judge of where a path with links really leads.
/// </summary>
internal static partial class Kernel
{
    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;

    /// <summary>Creates an empty file at <paramref name="path"/> as the kernel resolves it; false if it cannot.</summary>
    internal static bool TryCreate(string path)
    {
        using var handle = Open(path, O_WRONLY | O_CREAT | O_EXCL, 0x1A4);
        return !handle.IsInvalid;
    }

    /// <summary>The content of the file the kernel opens at <paramref name="path"/>.</summary>
    internal static string ReadAllText(string path)
    {
        using var handle = Open(path, O_RDONLY, 0);
        if (handle.IsInvalid)
        {
            throw new IOException($"open('{path}') failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        var bytes = new byte[RandomAccess.GetLength(handle)];
        RandomAccess.Read(handle, bytes, 0);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static SafeFileHandle Open(string path, int flags, int mode) => new(OpenCore(path, flags, mode), ownsHandle: true);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint OpenCore(string path, int flags, int mode);
}
