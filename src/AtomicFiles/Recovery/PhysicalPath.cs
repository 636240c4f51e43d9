using System.Runtime.InteropServices;
using AtomicFiles.Platform.Unix;
using AtomicFiles.Transactions;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Recovery;

/// <summary>
/// Where a directory really is: resolved by the kernel's own rules (realpath(3) on Unix), so a <c>..</c> after a
/// symbolic link climbs from the link's target, as every system call would, not from the link's name.
/// </summary>
internal static class PhysicalPath
{
    /// <summary>The physical absolute path of the existing directory <paramref name="directory"/> (absolute or relative to the working directory).</summary>
    /// <exception cref="DirectoryNotFoundException">It does not exist.</exception>
    /// <exception cref="IOException">It cannot be resolved (a link loop, a path too long, no permission on a component).</exception>
    internal static string OfDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return RealPath.OfDirectory(Path.GetFullPath(directory));
        }

        var resolved = Sys.RealPath(directory, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            var errno = UnixErrors.LastErrno;
            throw errno is Errno.ENOENT or Errno.ENOTDIR
                ? new DirectoryNotFoundException($"Could not find the directory '{directory}'.") { HResult = errno }
                : UnixErrors.ToException(errno, "Resolving the physical path of", directory);
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Sys.Free(resolved);
        }
    }

    /// <summary>
    /// <paramref name="physicalDirectory"/> and each directory above it on the same filesystem, nearest first. A
    /// transaction never spans filesystems (its root refuses files on another), so nothing above a mount point can own
    /// a journal that concerns the directory.
    /// </summary>
    internal static IEnumerable<string> AncestorsOnSameFilesystem(string physicalDirectory)
    {
        var platform = Platform.FileSystemPlatform.Current;
        var device = platform.Inspect(physicalDirectory)?.Device;
        for (var current = physicalDirectory; current is not null; current = Path.GetDirectoryName(current))
        {
            if (!ReferenceEquals(current, physicalDirectory) && platform.Inspect(current)?.Device != device)
            {
                yield break;
            }

            yield return current;
        }
    }
}
