using AtomicFiles.Commit;

namespace AtomicFiles.Tests.Commit;

public sealed class IoThreadsTests
{
    [Fact]
    public void ForEach_NoItems_CallsNothing()
    {
        var calls = 0;

        IoThreads.ForEach(Array.Empty<int>(), _ => calls++);

        calls.Should().Be(0);
    }

    [Fact]
    public void ForEach_MoreItemsThanThreads_CallsEachItemOnce()
    {
        var items = Enumerable.Range(0, (IoThreads.MaxThreads * 3) + 7).ToArray();
        var calls = new int[items.Length];

        IoThreads.ForEach(items, i => Interlocked.Increment(ref calls[i]));

        calls.Should().OnlyContain(c => c == 1);
    }

    [Fact]
    public void ForEach_CallsThatWaitForEachOther_AllRunAtOnce()
    {
        // Each call returns only once all 40 are in flight together: what lets a filesystem batch 40 fsyncs.
        const int Count = 40;
        using var barrier = new Barrier(Count);
        var met = new bool[Count];

        IoThreads.ForEach(Enumerable.Range(0, Count).ToArray(), i => met[i] = barrier.SignalAndWait(TimeSpan.FromSeconds(60)));

        met.Should().OnlyContain(m => m, "every call was in flight at the same time as the others");
    }

    [Fact]
    public void ForEach_SomeCallsThrow_AttemptsEveryItemThenRethrowsOne()
    {
        var attempted = new int[50];

        var act = () => IoThreads.ForEach(Enumerable.Range(0, attempted.Length).ToArray(), i =>
        {
            Interlocked.Increment(ref attempted[i]);
            if (i % 10 == 3)
            {
                throw new IOException($"injected {i}");
            }
        });

        act.Should().Throw<IOException>().WithMessage("injected *");
        attempted.Should().OnlyContain(a => a == 1);
    }

    [Fact]
    public void ForEach_FromSeveralCallersAtOnce_CompletesEveryBatch()
    {
        var total = 0;

        Parallel.For(0, 8, _ => IoThreads.ForEach(Enumerable.Range(0, 60).ToArray(), _ => Interlocked.Increment(ref total)));

        total.Should().Be(8 * 60);
    }
}
