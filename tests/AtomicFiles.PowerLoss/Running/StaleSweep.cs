using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.PowerLoss.Interop;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// Removes what a killed earlier run of this harness left behind — its recorder daemons, mounts (FUSE exports
/// included) and loop devices — and nothing else: only what lies under its own root directory. The machine is
/// shared; other loop devices and mounts are not ours. The root is checked to be the harness's own first
/// (<see cref="HarnessRoot"/>): a link or another user's directory planted there is refused, not swept.
/// </summary>
public static class StaleSweep
{
    public const string DaemonPidSuffix = ".qsd.pid";

    public static void Run(string root)
    {
        root = Path.GetFullPath(root).TrimEnd('/');
        HarnessRoot.Claim(root);

        foreach (var pidFile in Directory.EnumerateFiles(root, "*" + DaemonPidSuffix, SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(pidFile), out var pid) && IsOurDaemon(pid, root))
            {
                _ = Libc.Kill(pid, Libc.SigTerm);
                WaitForExit(pid);
            }
        }

        // Deepest first: crash-state mounts and the recorder's FUSE export live inside the scratch mount.
        foreach (var target in MountsUnder(root).OrderByDescending(t => t.Length))
        {
            Mount.Unmount(target);
        }

        foreach (var device in Directory.EnumerateDirectories("/sys/block", "loop*").Select(Path.GetFileName))
        {
            if (LoopDevice.BackingFile(device!) is { } backing && backing.StartsWith(root + "/", StringComparison.Ordinal))
            {
                LoopDevice.Detach("/dev/" + device);
            }
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>Mount points below <paramref name="root"/>, from /proc/self/mountinfo (field 5; spaces are octal-escaped).</summary>
    public static IEnumerable<string> MountsUnder(string root) =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(target => target.StartsWith(root + "/", StringComparison.Ordinal))
            .ToList();

    private static bool IsOurDaemon(int pid, string root)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        if (!File.Exists(cmdline))
        {
            return false;
        }

        var text = File.ReadAllText(cmdline);
        return text.Contains("qemu-storage-daemon", StringComparison.Ordinal) && text.Contains(root + "/", StringComparison.Ordinal);
    }

    private static void WaitForExit(int pid)
    {
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            Thread.Sleep(50);
        }
    }
}
