using System.Text.RegularExpressions;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Runs the atomicfile tool under strace -f and turns the trace into the commit protocol's steps for one target,
/// so tests can assert the order the kernel actually saw.
/// </summary>
internal sealed partial class StraceLog
{
    private const string TracedCalls = "trace=openat,open,fcntl,flock,write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,link,linkat,unlink,unlinkat,close";

    private StraceLog(IReadOnlyList<(string Thread, string Call)> threadCalls, Command.Result result)
    {
        ThreadCalls = threadCalls;
        Calls = threadCalls.Select(c => c.Call).ToList();
        Result = result;
    }

    /// <summary>Complete syscall lines, `name(args) = result`, in the order they started (unfinished/resumed pairs joined).</summary>
    internal IReadOnlyList<string> Calls { get; }

    /// <summary><see cref="Calls"/> with the id of the thread that made each: strace's `when=` counts calls per thread.</summary>
    internal IReadOnlyList<(string Thread, string Call)> ThreadCalls { get; }

    /// <summary>The calls strace made fail on purpose (`-e inject=...`): it marks them `(INJECTED)`.</summary>
    internal IReadOnlyList<string> InjectedCalls => Calls.Where(c => c.EndsWith("(INJECTED)", StringComparison.Ordinal)).ToList();

    internal Command.Result Result { get; }

    /// <summary>Runs `atomicfile ARGS` under strace; <paramref name="shellStdin"/> redirects standard input from a path through sh.</summary>
    internal static StraceLog Run(string[] toolArgs, string? stdin = null, string[]? straceOptions = null, string? shellStdin = null)
    {
        var output = Path.Join(Path.GetTempPath(), $"strace-{Guid.NewGuid():N}.txt");
        try
        {
            string[] strace = ["strace", "-f", "-qq", "-o", output, "-e", TracedCalls, .. straceOptions ?? []];
            Command.Result result;
            if (shellStdin is null)
            {
                result = ToolProcess.Run(toolArgs, stdin, wrapper: strace);
            }
            else
            {
                // ToolProcess cannot hand a child an arbitrary file as stdin; sh can.
                var command = string.Join(' ', strace.Concat([ToolProcess.DotnetHost, ToolProcess.ToolDll]).Concat(toolArgs).Select(Quote)) + " < " + Quote(shellStdin);
                result = ToolProcess.Run([], wrapper: ["sh", "-c", command + " #"]);
            }

            return new StraceLog(JoinResumed(File.ReadAllLines(output)), result);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>
    /// Runs a shell script under strace as <see cref="Run"/> runs the tool: for controls that show what a naive writer
    /// does under the same injected faults.
    /// </summary>
    internal static StraceLog RunScript(string script, string[] straceOptions)
    {
        var output = Path.Join(Path.GetTempPath(), $"strace-{Guid.NewGuid():N}.txt");
        try
        {
            string[] strace = ["strace", "-f", "-qq", "-o", output, "-e", TracedCalls, .. straceOptions, "sh", "-c", script];
            var result = ToolProcess.Run([], wrapper: ["sh", "-c", string.Join(' ', strace.Select(Quote)) + " #"]);
            return new StraceLog(JoinResumed(File.ReadAllLines(output)), result);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>
    /// The protocol steps touching <paramref name="targetPath"/> and its temp: create-temp, lock-temp (the liveness
    /// lock's exclusive OFD claim), share-lock (its downgrade to shared), flock-temp (any flock on the temp: the lock
    /// readers would meet), write, fsync-temp, rename, fsync-dir, unlink-temp, close-temp, and hold-replaced /
    /// close-replaced (the replaced file opened to outlive the rename) — consecutive writes folded into one.
    /// </summary>
    internal IReadOnlyList<string> StepsFor(string targetPath)
    {
        var directory = Path.GetDirectoryName(targetPath)!;
        // The library names files relative to its open directory (openat, renameat, unlinkat); a path also matches.
        var tempPattern = new Regex("\"(?:" + Regex.Escape(directory) + "/)?\\." + Regex.Escape(Path.GetFileName(targetPath)) + "\\.[a-z0-9]{10}\\.tmp\"");
        var steps = new List<string>();
        string? tempFd = null;
        string? dirFd = null;
        string? replacedFd = null;
        foreach (var call in Calls)
        {
            if (CallLine().Match(call) is not { Success: true } parsed)
            {
                continue;
            }

            var (name, args, result) = (parsed.Groups[1].Value, parsed.Groups[2].Value, parsed.Groups[3].Value);
            var firstArg = args.Split(',')[0];
            var namesTarget = args.Contains($"\"{targetPath}\"") || (firstArg == dirFd && args.Contains($"\"{Path.GetFileName(targetPath)}\""));
            string? step = name switch
            {
                "openat" or "open" when tempPattern.IsMatch(args) && args.Contains("O_CREAT") => Remember(ref tempFd, result, "create-temp"),
                "openat" or "open" when args.Contains($"\"{directory}\"") && args.Contains("O_DIRECTORY") => Remember(ref dirFd, result, null),
                "openat" or "open" when namesTarget && !args.Contains("O_CREAT") => Remember(ref replacedFd, result, "hold-replaced"),
                "fcntl" when firstArg == tempFd && args.Contains("F_OFD_SETLKW,") && args.Contains("l_type=F_WRLCK") => "lock-temp",
                "fcntl" when firstArg == tempFd && args.Contains("F_OFD_SETLK,") && args.Contains("l_type=F_RDLCK") => "share-lock",
                "flock" when firstArg == tempFd => "flock-temp",
                "write" or "pwrite64" when firstArg == tempFd => "write",
                "fsync" or "fdatasync" when firstArg == tempFd => "fsync-temp",
                "fsync" or "fdatasync" when firstArg == dirFd => "fsync-dir",
                "rename" or "renameat" or "renameat2" or "link" or "linkat" when tempPattern.IsMatch(args) && (args.Contains($"\"{targetPath}\"") || args.Contains($"\"{Path.GetFileName(targetPath)}\"")) => name.StartsWith("link", StringComparison.Ordinal) ? "link" : "rename",
                "unlink" or "unlinkat" when tempPattern.IsMatch(args) => "unlink-temp",
                "close" when firstArg == tempFd => Forget(ref tempFd, "close-temp"),
                "close" when firstArg == dirFd => Forget(ref dirFd, null),
                "close" when firstArg == replacedFd => Forget(ref replacedFd, "close-replaced"),
                _ => null,
            };
            if (step is not null && !(step == "write" && steps.Count > 0 && steps[^1] == "write"))
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    /// <summary>
    /// Every call on a temp of the file named <paramref name="targetName"/> (matched by name, so calls relative to a
    /// directory descriptor count too), by step — "write", "fsync", "rename" (or link), "unlink" — with the call's
    /// number among the calls of the same name on the same thread: the `when=` that makes strace fail exactly it.
    /// </summary>
    internal IReadOnlyList<TempCall> TempCallsFor(string targetName)
    {
        var tempName = new Regex("[\"/]\\." + Regex.Escape(targetName) + "\\.[a-z0-9]{10}\\.tmp\"");
        var tempFds = new HashSet<string>();
        var counts = new Dictionary<(string Thread, string Name), int>();
        var calls = new List<TempCall>();
        foreach (var (thread, call) in ThreadCalls)
        {
            if (CallLine().Match(call) is not { Success: true } parsed)
            {
                continue;
            }

            var (name, args, result) = (parsed.Groups[1].Value, parsed.Groups[2].Value, parsed.Groups[3].Value);
            var number = counts[(thread, name)] = counts.GetValueOrDefault((thread, name)) + 1;
            var onTempFd = tempFds.Contains(args.Split(',')[0]);
            var step = name switch
            {
                "openat" or "open" when tempName.IsMatch(args) && args.Contains("O_CREAT", StringComparison.Ordinal) && !result.StartsWith('-') => Open(result),
                "write" or "pwrite64" or "writev" or "pwritev" or "pwritev2" when onTempFd => "write",
                "fsync" or "fdatasync" when onTempFd => "fsync",
                "rename" or "renameat" or "renameat2" or "link" or "linkat" when tempName.IsMatch(args) => "rename",
                "unlink" or "unlinkat" when tempName.IsMatch(args) => "unlink",
                "close" when onTempFd && tempFds.Remove(args) => null,
                _ => null,
            };
            if (step is not null)
            {
                calls.Add(new TempCall(step, name, number, call.EndsWith("(INJECTED)", StringComparison.Ordinal), call));
            }
        }

        return calls;

        string? Open(string fd)
        {
            tempFds.Add(fd);
            return null;
        }
    }

    /// <summary>
    /// What was done to the file at <paramref name="path"/> through descriptors opened by its name: each lock call as
    /// "fcntl COMMAND TYPE" (the type as the kernel returned it) or "flock OPERATION", and "unlink" for its removal.
    /// </summary>
    internal IReadOnlyList<string> LockCallsOn(string path)
    {
        var calls = new List<string>();
        string? fd = null;
        foreach (var call in Calls)
        {
            if (CallLine().Match(call) is not { Success: true } parsed)
            {
                continue;
            }

            var (name, args, result) = (parsed.Groups[1].Value, parsed.Groups[2].Value, parsed.Groups[3].Value);
            var parts = args.Split(", ");
            // By its path, or by its name relative to a directory descriptor: the tests' temp names are unique.
            var named = args.Contains($"\"{path}\"", StringComparison.Ordinal) || args.Contains($"\"{Path.GetFileName(path)}\"", StringComparison.Ordinal);
            var onFd = fd is not null && parts[0] == fd;
            switch (name)
            {
                case "openat" or "open" when named:
                    Remember(ref fd, result, null);
                    break;
                case "fcntl" when onFd:
                    calls.Add($"fcntl {parts[1]} {LockType().Match(args).Groups[1].Value}");
                    break;
                case "flock" when onFd:
                    calls.Add($"flock {parts[1]}");
                    break;
                case "close" when onFd:
                    Forget(ref fd, null);
                    break;
                case "unlink" or "unlinkat" when named:
                    calls.Add("unlink");
                    break;
            }
        }

        return calls;
    }

    private static string? Remember(ref string? fd, string result, string? step)
    {
        fd = result.StartsWith('-') ? null : result;
        return step;
    }

    private static string? Forget(ref string? fd, string? step)
    {
        fd = null;
        return step;
    }

    private static List<(string Thread, string Call)> JoinResumed(string[] lines)
    {
        var pending = new Dictionary<string, string>();
        var calls = new List<(string Thread, string Call)>();
        foreach (var raw in lines)
        {
            var match = PidLine().Match(raw);
            if (!match.Success)
            {
                continue;
            }

            var (pid, text) = (match.Groups[1].Value, match.Groups[2].Value);
            if (text.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                pending[pid] = text[..^"<unfinished ...>".Length].TrimEnd();
                calls.Add((pid, "\u0000pending"));
            }
            else if (ResumedLine().Match(text) is { Success: true } resumed && pending.Remove(pid, out var start))
            {
                var index = calls.IndexOf((pid, "\u0000pending"));
                calls[index] = (pid, start + resumed.Groups[1].Value);
            }
            else if (CallLine().IsMatch(text))
            {
                calls.Add((pid, text));
            }
        }

        return calls.Where(c => !c.Call.Contains('\u0000', StringComparison.Ordinal)).ToList();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <param name="Step">write, fsync, rename (or link) or unlink.</param>
    /// <param name="Name">The syscall's name.</param>
    /// <param name="Number">Its number among the calls of that name on its thread: strace's `when=` for it.</param>
    /// <param name="Injected">Whether strace made it fail on purpose.</param>
    /// <param name="Line">The whole line.</param>
    internal sealed record TempCall(string Step, string Name, int Number, bool Injected, string Line);

    [GeneratedRegex(@"^(\w+)\((.*)\)\s+=\s+(\S+)")]
    private static partial Regex CallLine();

    [GeneratedRegex(@"l_type=(\w+)")]
    private static partial Regex LockType();

    [GeneratedRegex(@"^(\d+)\s+(.*)$")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"^<\.\.\. \w+ resumed>(.*)$")]
    private static partial Regex ResumedLine();
}
