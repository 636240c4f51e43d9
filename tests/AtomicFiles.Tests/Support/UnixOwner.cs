using AtomicFiles.Platform.Unix;

namespace AtomicFiles.Tests.Support;

/// <summary>Owner and group of a file, read the way the library reads them.</summary>
internal static class UnixOwner
{
    internal static (uint Uid, uint Gid) Of(string path)
    {
        UnixFileStatus.TryGet(path, out var status).Should().Be(0, $"{path} should exist");
        return (status.Uid, status.Gid);
    }
}
