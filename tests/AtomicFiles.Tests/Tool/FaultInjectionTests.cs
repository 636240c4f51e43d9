using System.Collections.Concurrent;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Tool;

/// <summary>
/// Every entry point the tool exposes, with each syscall on its temp failing in turn under strace's fault injection:
/// the tool exits 1 with one line of error and no stack trace, every file holds its old content or its new content in
/// full, and no temp is left — except where the failed call was the removal of the temp itself.
/// </summary>
/// <remarks>
/// strace fails every matching call of the process, the runtime's included, and counts `when=` per thread and
/// syscall. So each case first traces its entry point once (cached): the number of the call on the temp, by the
/// syscall name the library actually used. After the run, the trace must show the injected failures on the temp, and
/// nowhere else.
/// </remarks>
public sealed class FaultInjectionTests : IDisposable
{
    private const string Target = "a.txt";
    private const string Journal = ".atomicfiles-transaction.journal";

    private static readonly string s_large = string.Concat(Enumerable.Repeat("0123456789abcdef", 16 * 1024));

    private static readonly Dictionary<string, EntryPoint> s_entryPoints = new EntryPoint[]
    {
        new("write", dir => ["write", Path.Join(dir, Target)], "new content", new() { [Target] = "old content" }, new() { [Target] = "new content" }),
        new("write (in several writes)", dir => ["write", Path.Join(dir, Target)], s_large, new() { [Target] = "old content" }, new() { [Target] = s_large }),
        new("create-new", dir => ["create-new", Path.Join(dir, Target)], "new content", new() { [Target] = null }, new() { [Target] = "new content" }),
        new(
            "transaction",
            dir => ["transaction", dir, "--write", Target, "new a", "--delete", "c.txt"],
            null,
            new() { [Target] = "old a", ["c.txt"] = "old c" },
            new() { [Target] = "new a", ["c.txt"] = null }),
        new("increment", dir => ["increment", Path.Join(dir, Target), "1"], null, new() { [Target] = "41" }, new() { [Target] = "42" }),
    }.ToDictionary(e => e.Name);

    // The temp's calls per entry point and injection: the same in every run, so traced once per test run.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<StraceLog.TempCall>> s_traces = new();

    private readonly TempDirectory _dir = new();
    private int _runs;

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var entryPoint in s_entryPoints.Keys)
        {
            foreach (var (step, errno) in new[] { ("write", "ENOSPC"), ("write", "EIO"), ("fsync", "EIO"), ("rename", "EIO"), ("rename", "ENOSPC"), ("unlink", "EIO") })
            {
                data.Add(entryPoint, step, errno);
            }
        }

        return data;
    }

    [RequiresTheory(Requirement.Linux | Requirement.Strace)]
    [MemberData(nameof(Matrix))]
    public void Tool_SyscallOnTempFails_ExitsWithOneLineKeepsOldOrNewAndLeavesNoStrayTemp(string entryPointName, string step, string errno)
    {
        var entryPoint = s_entryPoints[entryPointName];

        // The temp is removed only on a rollback: its unlink fails after a failed write.
        Injection[] injections = step == "unlink"
            ? [InjectionFor(entryPoint, [], "write", "ENOSPC"), InjectionFor(entryPoint, [new("write", "pwrite64", 0, "ENOSPC")], "unlink", errno)]
            : [InjectionFor(entryPoint, [], step, errno)];

        var (dir, log) = Run(entryPoint, injections);

        log.TempCallsFor(Target).Where(c => c.Injected).Select(c => c.Step).Should().Equal(injections.Select(i => i.Step), "each failure must hit the temp");
        log.InjectedCalls.Should().HaveCount(injections.Length, "no other call may fail");
        log.Result.ExitCode.Should().Be(1);
        var error = log.Result.StandardError.TrimEnd('\n');
        error.Should().StartWith($"atomicfile {entryPoint.Verb}: ").And.NotContain("\n").And.NotContain("   at ");
        error.Should().Contain(Strerror(injections[0].Errno));

        ShouldHold(dir, entryPoint.Old);
        var leftovers = Leftovers(dir);
        switch (step)
        {
            case "rename" when entryPoint.Verb == "transaction":
                // Past the commit point: the sealed journal and the staged temp are kept, and recovery completes it.
                leftovers.Should().HaveCount(2).And.Contain(Journal);
                AtomicFile.Recover(dir);
                ShouldHold(dir, entryPoint.New);
                Leftovers(dir).Should().BeEmpty();
                break;
            case "unlink":
                // The temp whose removal failed stays, closed and unlocked: the orphan sweep of Recover removes it.
                leftovers.Should().ContainSingle().Which.Should().MatchRegex(@"^\.a\.txt\.[a-z0-9]{10}\.tmp$");
                AtomicFile.Recover(dir);
                ShouldHold(dir, entryPoint.Old);
                Leftovers(dir).Should().BeEmpty();
                break;
            default:
                leftovers.Should().BeEmpty();
                break;
        }
    }

    /// <summary>
    /// The control: a naive writer — `printf &gt; temp; mv temp target`, carrying on after the failed write — under the
    /// same injected ENOSPC publishes an empty file, and the check the matrix passes is what catches it.
    /// </summary>
    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void NaiveWriter_TempWriteFails_PublishesAnEmptyFileTheSameCheckCatches()
    {
        var entryPoint = s_entryPoints["write"];
        var dir = Directory.CreateDirectory(_dir.File("naive")).FullName;
        File.WriteAllText(Path.Join(dir, Target), "old content");
        var temp = Path.Join(dir, $".{Target}.naive00000.tmp");

        var log = StraceLog.RunScript($"printf %s 'new content' > '{temp}'; mv -f '{temp}' '{Path.Join(dir, Target)}'", ["-e", "inject=write:error=ENOSPC:when=1"]);

        log.InjectedCalls.Should().ContainSingle().Which.Should().StartWith("write(1, \"new content\"", "the write to the temp is what fails");
        FluentActions.Invoking(() => ShouldHold(dir, entryPoint.Old)).Should().Throw<Exception>().WithMessage("*must hold its content in full*");
        File.ReadAllText(Path.Join(dir, Target)).Should().BeEmpty();
    }

    /// <summary>
    /// The strace rule that fails the first <paramref name="step"/> on the temp, numbered as in a run with
    /// <paramref name="earlier"/> injected (the path the process then takes).
    /// </summary>
    private Injection InjectionFor(EntryPoint entryPoint, Injection[] earlier, string step, string errno)
    {
        var key = $"{entryPoint.Name}|{string.Join(',', earlier.Select(e => $"{e.Step}:{e.Errno}"))}";
        var calls = s_traces.GetOrAdd(key, _ =>
        {
            // The earlier injections were taken from a clean trace: resolve them the same way.
            var resolved = earlier.Select(e => InjectionFor(entryPoint, [], e.Step, e.Errno)).ToArray();
            var (_, log) = Run(entryPoint, resolved);
            return log.TempCallsFor(Target);
        });
        var call = calls.FirstOrDefault(c => c.Step == step)
            ?? throw new InvalidOperationException($"'{entryPoint.Name}' made no {step} call on its temp: {string.Join("; ", calls.Select(c => c.Line))}");
        return new Injection(step, call.Name, call.Number, errno);
    }

    private (string Dir, StraceLog Log) Run(EntryPoint entryPoint, Injection[] injections)
    {
        var dir = Directory.CreateDirectory(_dir.File($"run-{++_runs}")).FullName;
        foreach (var (name, content) in entryPoint.Old)
        {
            if (content is not null)
            {
                File.WriteAllText(Path.Join(dir, name), content);
            }
        }

        string[] strace = [.. injections.SelectMany(i => new[] { "-e", $"inject={i.Name}:error={i.Errno}:when={i.Number}" })];
        if (entryPoint.Stdin is null)
        {
            return (dir, StraceLog.Run(entryPoint.Args(dir), straceOptions: strace));
        }

        // From a file, not a pipe: a tool that fails part-way stops reading, and writing the rest would fail here.
        var stdin = _dir.File($"run-{_runs}.stdin");
        File.WriteAllText(stdin, entryPoint.Stdin);
        return (dir, StraceLog.Run(entryPoint.Args(dir), straceOptions: strace, shellStdin: stdin));
    }

    private static void ShouldHold(string dir, Dictionary<string, string?> files)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Join(dir, name);
            if (content is null)
            {
                File.Exists(path).Should().BeFalse($"{name} must not exist");
            }
            else
            {
                File.ReadAllText(path).Should().Be(content, $"{name} must hold its content in full");
            }
        }
    }

    /// <summary>Temps and journals; lock files stay by design.</summary>
    private static string[] Leftovers(string dir) =>
        TempFiles.In(dir).Select(Path.GetFileName).Append(File.Exists(Path.Join(dir, Journal)) ? Journal : null).OfType<string>().ToArray();

    private static string Strerror(string errno) => errno switch
    {
        "ENOSPC" => "No space left on device",
        "EIO" => "Input/output error",
        _ => throw new ArgumentOutOfRangeException(nameof(errno), errno, null),
    };

    /// <param name="Name">What the case is called.</param>
    /// <param name="Args">The tool's arguments, for a run in the given directory.</param>
    /// <param name="Stdin">Standard input.</param>
    /// <param name="Old">The files before (null: absent), and what a failure before the publish must leave.</param>
    /// <param name="New">What a successful run leaves.</param>
    private sealed record EntryPoint(string Name, Func<string, string[]> Args, string? Stdin, Dictionary<string, string?> Old, Dictionary<string, string?> New)
    {
        public string Verb => Name.Split(' ')[0];
    }

    /// <param name="Step">The protocol step that fails: write, fsync, rename or unlink.</param>
    /// <param name="Name">The syscall name that strace fails.</param>
    /// <param name="Number">Which call of that name on its thread (strace's `when=`).</param>
    /// <param name="Errno">The error it returns.</param>
    private sealed record Injection(string Step, string Name, int Number, string Errno);
}
