using System.Globalization;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Owner and group of a file as stat(1) reports them: a reader independent of the library's own statx binding, so a
/// wrong field offset there cannot make an ownership check agree with the library that wrote the file.
/// </summary>
internal static class UnixOwner
{
    internal static (uint Uid, uint Gid) Of(string path)
    {
        var fields = Command.Run("stat", "--format=%u %g", "--", path).Split(' ', StringSplitOptions.TrimEntries);
        return (uint.Parse(fields[0], CultureInfo.InvariantCulture), uint.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
