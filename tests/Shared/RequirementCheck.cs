namespace AtomicFiles.Testing;

/// <summary>Finds what is missing for a test, so it can skip with the reason on a laptop (and fail CI, which counts skips).</summary>
public static class RequirementCheck
{
    private static readonly Lazy<bool> s_symbolicLinksWork = new(ProbeSymbolicLinks);

    /// <summary>
    /// Whether a test needing <paramref name="requirements"/> belongs to this platform's run at all: a Windows test only
    /// on Windows, a symbolic-link test only where links can be made, a test with any Linux requirement only on Linux, a
    /// test with none everywhere.
    /// </summary>
    public static bool IsForThisPlatform(Requirement requirements)
    {
        if (requirements.HasFlag(Requirement.SymbolicLinks) && !s_symbolicLinksWork.Value)
        {
            return false;
        }

        if (requirements.HasFlag(Requirement.Windows))
        {
            return OperatingSystem.IsWindows();
        }

        return (requirements & ~(Requirement.Windows | Requirement.SymbolicLinks)) == Requirement.None || OperatingSystem.IsLinux();
    }

    /// <summary>Creates a symbolic link in a scratch directory and checks that it is there and leads to its target.</summary>
    private static bool ProbeSymbolicLinks()
    {
        var directory = Directory.CreateTempSubdirectory("atomicfiles-link-probe-");
        try
        {
            var target = Path.Join(directory.FullName, "target");
            File.WriteAllText(target, "probe");
            var link = Path.Join(directory.FullName, "link");
            File.CreateSymbolicLink(link, target);
            return File.Exists(link) && new FileInfo(link).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The reason the machine cannot run a test needing <paramref name="requirements"/>; null if it can.</summary>
    public static string? MissingReason(Requirement requirements)
    {
        var missing = new List<string>();
        var linux = OperatingSystem.IsLinux();
        if (requirements.HasFlag(Requirement.Linux) && !linux)
        {
            missing.Add("Linux");
        }

        if (requirements.HasFlag(Requirement.Root) && (!linux || Environment.UserName != "root"))
        {
            missing.Add("root");
        }

        if (requirements.HasFlag(Requirement.Strace) && !OnPath("strace"))
        {
            missing.Add("strace (apt-get install strace)");
        }

        if (requirements.HasFlag(Requirement.Fuse) && !(File.Exists("/dev/fuse") && OnPath("fusermount3")))
        {
            missing.Add("/dev/fuse and fusermount3 (apt-get install fuse3)");
        }

        if (requirements.HasFlag(Requirement.LoopDevices) && !(File.Exists("/dev/loop-control") && OnPath("losetup")))
        {
            missing.Add("loop devices (/dev/loop-control, losetup)");
        }

        if (requirements.HasFlag(Requirement.Xfs) && !OnPath("mkfs.xfs"))
        {
            missing.Add("mkfs.xfs (apt-get install xfsprogs)");
        }

        if (requirements.HasFlag(Requirement.Btrfs) && !OnPath("mkfs.btrfs"))
        {
            missing.Add("mkfs.btrfs (apt-get install btrfs-progs)");
        }

        if (requirements.HasFlag(Requirement.QemuStorageDaemon) && !OnPath("qemu-storage-daemon"))
        {
            missing.Add("qemu-storage-daemon (apt-get install qemu-system-common)");
        }

        return missing.Count == 0 ? null : "Needs " + string.Join(", ", missing);
    }

    /// <summary>Whether an executable of this name is on PATH (or in the sbin directories root tools live in).</summary>
    public static bool OnPath(string executable)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty) + ":/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Join(dir, executable)));
    }
}
