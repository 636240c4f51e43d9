using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Recovery;

/// <summary>
/// Whether a file named like one of our temps provably is one this user staged: the only kind recovery publishes or
/// removes. A name proves nothing — anyone who may write the directory may create a file under it, for instance after
/// the real temp was renamed away.
/// </summary>
internal static class ProvableTemp
{
    /// <summary>What is at a temp's path.</summary>
    internal enum State
    {
        Absent,
        Ours,
        NotOurs,
    }

    /// <summary>
    /// Unix: a regular file (not a link) with one link, owned by the effective user. Windows: a regular file that is
    /// not a reparse point. <paramref name="notOursBecause"/> says why not, for the log.
    /// </summary>
    internal static State Check(DirectoryHandle directory, string name, out string? notOursBecause)
    {
        notOursBecause = null;
        if (OperatingSystem.IsWindows())
        {
            var existing = FileSystemPlatform.Current.Inspect(directory, name);
            if (existing is null)
            {
                return State.Absent;
            }

            notOursBecause = existing.Value.Kind == FileKind.RegularFile ? null : "it is not a regular file";
            return notOursBecause is null ? State.Ours : State.NotOurs;
        }

        var errno = UnixFileStatus.TryGet(directory, name, out var status);
        if (errno != 0)
        {
            return errno is Errno.ENOENT or Errno.ENOTDIR ? State.Absent : Fail($"it cannot be examined (errno {errno})", out notOursBecause);
        }

        var euid = Sys.GetEUid();
        return status.Kind != FileKind.RegularFile ? Fail("it is not a regular file", out notOursBecause)
            : status.LinkCount != 1 ? Fail($"it has {status.LinkCount} hard links", out notOursBecause)
            : status.Uid != euid ? Fail($"it is owned by uid {status.Uid}, not by this user (uid {euid})", out notOursBecause)
            : State.Ours;
    }

    private static State Fail(string because, out string? notOursBecause)
    {
        notOursBecause = because;
        return State.NotOurs;
    }
}
