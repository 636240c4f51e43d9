using System.Globalization;
using System.Text;
using AtomicFiles.Platform;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

public sealed class AtomicFileUpdateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Update_MissingFile_TransformGetsNullAndResultIsCreated()
    {
        var path = _dir.File("a.bin");
        byte[]? seen = [0xFF];

        AtomicFile.Update(path, current =>
        {
            seen = current;
            return [1, 2, 3];
        });

        seen.Should().BeNull();
        File.ReadAllBytes(path).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Update_ExistingFile_TransformSeesCurrentContentAndItsResultReplacesIt()
    {
        var path = _dir.File("a.bin");
        File.WriteAllBytes(path, [1, 2, 3]);

        AtomicFile.Update(path, current => [.. current!, 4]);

        File.ReadAllBytes(path).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public void Update_AfterCommit_LeavesOnlyTheFileAndItsSidecarLock()
    {
        var path = _dir.File("a.txt");

        AtomicFile.Update(path, _ => "x"u8.ToArray());

        _dir.Entries().Should().BeEquivalentTo("a.txt", ".a.txt.lock");
        TempFileName.IsTempFileName(".a.txt.lock").Should().BeFalse("Recover must never delete a lock file");
    }

    [Fact]
    public void UpdateText_ExistingFile_RoundTripsTextAsUtf8WithoutBom()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "grüß", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        AtomicFile.UpdateText(path, current => current + " dich");

        File.ReadAllBytes(path).Should().Equal(Encoding.UTF8.GetBytes("grüß dich"));
    }

    [Fact]
    public void UpdateText_MissingFile_TransformGetsNull()
    {
        var path = _dir.File("a.txt");

        AtomicFile.UpdateText(path, current => current is null ? "new" : "existed");

        File.ReadAllText(path).Should().Be("new");
    }

    [Fact]
    public async Task UpdateAsync_ExistingFile_TransformSeesCurrentContentAndItsResultReplacesIt()
    {
        var path = _dir.File("a.bin");
        File.WriteAllBytes(path, [7]);

        await AtomicFile.UpdateAsync(path, (current, _) => ValueTask.FromResult<byte[]>([.. current!, 8]));

        File.ReadAllBytes(path).Should().Equal(7, 8);
    }

    [Fact]
    public async Task UpdateTextAsync_MissingThenExisting_RoundTrips()
    {
        var path = _dir.File("count.txt");

        await AtomicFile.UpdateTextAsync(path, (current, _) => ValueTask.FromResult(current ?? "1"));
        await AtomicFile.UpdateTextAsync(path, (current, _) => ValueTask.FromResult(current + "2"), new AtomicFileOptions { Durability = Durability.FileOnly });

        File.ReadAllText(path).Should().Be("12");
    }

    [Fact]
    public void Update_TransformThrows_FileUnchangedAndNoTempLeft()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var act = () => AtomicFile.Update(path, _ => throw new FormatException("bad content"));

        act.Should().Throw<FormatException>().WithMessage("bad content");
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().NotContain(name => TempFileName.IsTempFileName(name));
    }

    [Fact]
    public async Task UpdateAsync_TransformThrows_FileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var act = () => AtomicFile.UpdateAsync(path, (_, _) => throw new InvalidDataException("bad content"));

        await act.Should().ThrowAsync<InvalidDataException>();
        File.ReadAllText(path).Should().Be("old");
    }

    [Fact]
    public void Update_TransformReturnsNull_ThrowsInvalidOperationAndFileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var act = () => AtomicFile.Update(path, _ => null!);

        act.Should().Throw<InvalidOperationException>().WithMessage($"*'{path}'*returned null*");
        File.ReadAllText(path).Should().Be("old");
    }

    [Fact]
    public void Update_NullTransform_ThrowsArgumentNull()
    {
        var act = () => AtomicFile.Update(_dir.File("a.txt"), null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("transform");
    }

    [Fact]
    public void Update_MissingDirectory_ThrowsDirectoryNotFoundAndCreatesNoLock()
    {
        var act = () => AtomicFile.Update(Path.Join(_dir.Path, "nope", "a.txt"), _ => []);

        act.Should().Throw<DirectoryNotFoundException>();
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public async Task Update_LockHeldByAnotherUpdater_ThrowsTimeoutNamingThePathAndFileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var release = new ManualResetEventSlim();
        var holder = HoldLockInAnotherUpdate(path, release);

        var clock = new SleepSignallingClock();
        var timeout = TimeSpan.FromMilliseconds(50);
        var intruder = Task.Run(() => AtomicFile.UpdateText(path, _ => "intruder", new AtomicFileOptions { LockTimeout = timeout, TimeProvider = clock }));
        (await clock.SleepsBeforeFinishing(intruder)).Should().BeTrue("another updater holds the lock");

        clock.Advance(timeout);

        await FluentActions.Awaiting(() => intruder).Should().ThrowAsync<TimeoutException>().WithMessage($"*'{path}'*");
        release.Set();
        await holder;
        File.ReadAllText(path).Should().Be("old+holder");
    }

    [Fact]
    public async Task UpdateAsync_LockHeldByAnotherUpdater_ThrowsTimeoutNamingThePath()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var release = new ManualResetEventSlim();
        var holder = HoldLockInAnotherUpdate(path, release);

        var act = () => AtomicFile.UpdateAsync(path, (_, _) => ValueTask.FromResult("x"u8.ToArray()), new AtomicFileOptions { LockTimeout = TimeSpan.Zero });

        await act.Should().ThrowAsync<TimeoutException>().WithMessage($"*'{path}'*");
        release.Set();
        await holder;
        File.ReadAllText(path).Should().Be("old+holder");
    }

    [Fact]
    public async Task UpdateAsync_CancelledWhileWaitingForTheLock_ThrowsOperationCanceledAndFileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var release = new ManualResetEventSlim();
        var holder = HoldLockInAnotherUpdate(path, release);
        using var cts = new CancellationTokenSource();
        var clock = new SleepSignallingClock();
        var transformRan = false;

        var waiting = AtomicFile.UpdateTextAsync(path, (_, _) =>
        {
            transformRan = true;
            return ValueTask.FromResult("intruder");
        }, new AtomicFileOptions { LockTimeout = Timeout.InfiniteTimeSpan, TimeProvider = clock }, cts.Token);
        (await clock.SleepsBeforeFinishing(waiting)).Should().BeTrue("another updater holds the lock");
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        release.Set();
        await holder;
        transformRan.Should().BeFalse();
        File.ReadAllText(path).Should().Be("old+holder");
    }

    [Fact]
    public void Update_ConcurrentUpdatersInOneProcess_LoseNoUpdate()
    {
        var path = _dir.File("count.txt");
        var options = new AtomicFileOptions { Durability = Durability.None, LockTimeout = Timeout.InfiniteTimeSpan };

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            AtomicFile.UpdateText(path, text => (int.Parse(text ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), options));

        File.ReadAllText(path).Should().Be("200");
    }

    [Fact]
    public async Task Update_CounterIncrementedByEightProcesses_ReachesExactly4000()
    {
        const int Processes = 8;
        const int IncrementsEach = 500;
        var path = _dir.File("counter.txt");

        var results = Enumerable.Range(0, Processes)
            .Select(_ => Task.Run(() => ToolProcess.Run(["increment", path, IncrementsEach.ToString(CultureInfo.InvariantCulture), "--durability", "none"], timeout: TimeSpan.FromMinutes(10))))
            .ToArray();
        var finished = await Task.WhenAll(results);

        finished.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.StandardError));
        File.ReadAllText(path).Should().Be("4000");
    }

    /// <summary>Starts an update of <paramref name="path"/> whose transform holds the lock until <paramref name="release"/> is set; returns once it holds it.</summary>
    private static Task HoldLockInAnotherUpdate(string path, ManualResetEventSlim release)
    {
        using var holding = new ManualResetEventSlim();
        var holder = Task.Run(() => AtomicFile.UpdateText(path, current =>
        {
            holding.Set();
            release.Wait();
            return current + "+holder";
        }));
        holding.Wait();
        return holder;
    }
}
