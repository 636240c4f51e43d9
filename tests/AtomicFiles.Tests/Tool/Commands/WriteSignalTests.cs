using System.Diagnostics;
using AtomicFiles.Platform;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Tool.Commands;

/// <summary>
/// `atomicfile write` interrupted by a signal while standard input is still coming: SIGINT, SIGTERM and SIGHUP roll the
/// write back — no temp left, the old content kept — and the tool exits with 128 + the signal's number.
/// </summary>
public sealed class WriteSignalTests : IDisposable
{
    private const string OldContent = "old content";
    private static readonly string s_chunk = new('n', 256 * 1024);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresTheory(Requirement.Linux)]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    [InlineData("HUP", 129)]
    public void Write_SignalWhileInputIsComing_RollsBackAndExitsWith128PlusSignal(string signal, int exitCode)
    {
        var path = _dir.File("large.bin");
        File.WriteAllText(path, OldContent);
        using var writer = StartWritingSlowly(path);

        Signal(writer, signal);

        writer.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
        writer.ExitCode.Should().Be(exitCode);
        writer.StandardError.ReadToEnd().Should().Be($"atomicfile write: interrupted by SIG{signal}; '{path}' is unchanged.\n");
        _dir.Entries().Should().Equal("large.bin");
        File.ReadAllText(path).Should().Be(OldContent);
    }

    /// <summary>The control: the same slow feed, finished, publishes — the feed is a real write in progress.</summary>
    [RequiresFact(Requirement.Linux)]
    public void Write_SameSlowInputFinished_PublishesTheNewContent()
    {
        var path = _dir.File("large.bin");
        File.WriteAllText(path, OldContent);
        using var writer = StartWritingSlowly(path);

        writer.StandardInput.Close();

        writer.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
        writer.ExitCode.Should().Be(0, writer.StandardError.ReadToEnd());
        new FileInfo(path).Length.Should().Be(s_chunk.Length);
        _dir.Entries().Should().Equal("large.bin");
    }

    /// <summary>The mutant: SIGKILL gives no chance to roll back, and the checks above see the temp it leaves.</summary>
    [RequiresFact(Requirement.Linux)]
    public void Write_SigkillWhileInputIsComing_LeavesATempTheChecksWouldSee()
    {
        var path = _dir.File("large.bin");
        File.WriteAllText(path, OldContent);
        using var writer = StartWritingSlowly(path);

        Signal(writer, "KILL");

        writer.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
        writer.ExitCode.Should().Be(137);
        _dir.Entries().Should().HaveCount(2).And.Contain(e => TempFileName.IsTempFileName(e));
        File.ReadAllText(path).Should().Be(OldContent);
    }

    /// <summary>Starts `atomicfile write PATH`, feeds it a first chunk and returns once that chunk reaches its temp (past the writer's buffer).</summary>
    private Process StartWritingSlowly(string path)
    {
        var writer = ToolProcess.Start(["write", path], toolDll: ToolProcess.ShippedToolDll);
        writer.StandardInput.Write(s_chunk);
        writer.StandardInput.Flush();
        ChildProgress.WaitUntil(writer, () => _dir.Entries().Any(e => TempFileName.IsTempFileName(e) && new FileInfo(_dir.File(e)).Length > 0), "wrote its first chunk");
        return writer;
    }

    private static void Signal(Process process, string signal)
    {
        Command.Run("kill", "-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
