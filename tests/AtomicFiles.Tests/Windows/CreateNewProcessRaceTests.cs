namespace AtomicFiles.Tests.Windows;

/// <summary>
/// CreateNew raced by 8 processes on Windows: all hold their writer open on the same missing path, then commit at
/// once; exactly one may publish, the others must fail without touching its file, and no temp may be left. The
/// in-process race (CreateNewTests) runs everywhere; this one crosses processes, where only the file system arbitrates.
/// </summary>
public sealed class CreateNewProcessRaceTests : IDisposable
{
    private const int Processes = 8;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Windows)]
    public void CreateNew_EightProcessesRace_ExactlyOneWins()
    {
        var path = _dir.File("a.txt");
        var writers = Enumerable.Range(0, Processes).Select(_ => ToolProcess.Start(["create-new", path])).ToList();
        try
        {
            // Every writer has its temp open (it read nothing yet): only now let them all commit.
            WaitUntil(() => _dir.Entries().Length == Processes);
            var contents = writers.Select((w, i) => $"writer {i}").ToArray();
            foreach (var (writer, content) in writers.Zip(contents))
            {
                writer.StandardInput.Write(content);
            }

            foreach (var writer in writers)
            {
                writer.StandardInput.Close();
            }

            foreach (var writer in writers)
            {
                writer.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue();
            }

            var winners = writers.Select((w, i) => (w.ExitCode, Index: i)).Where(r => r.ExitCode == 0).ToList();
            winners.Should().ContainSingle(string.Join(Environment.NewLine, writers.Select(w => w.StandardError.ReadToEnd())));
            File.ReadAllText(path).Should().Be(contents[winners[0].Index]);
            _dir.Entries().Should().Equal("a.txt");
        }
        finally
        {
            foreach (var writer in writers)
            {
                if (!writer.HasExited)
                {
                    writer.Kill();
                }

                writer.Dispose();
            }
        }
    }

    [RequiresFact(Requirement.Windows)]
    public void Control_EightProcessesReplacing_AllSucceed()
    {
        // The same race through Create (replace allowed): every process succeeds, so "exactly one" above is CreateNew's
        // refusal, not processes failing for another reason.
        var path = _dir.File("a.txt");
        var results = Enumerable.Range(0, Processes).AsParallel()
            .Select(i => ToolProcess.Run(["write", path], standardInput: $"writer {i}"))
            .ToList();

        results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.StandardError));
        File.ReadAllText(path).Should().StartWith("writer ");
        _dir.Entries().Should().Equal("a.txt");
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "every writer process should have opened its temp by then");
            Thread.Sleep(10);
        }
    }
}
