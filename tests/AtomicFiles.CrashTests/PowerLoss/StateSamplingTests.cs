using System.Buffers.Binary;
using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.States;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// Which crash states a run checks, without a recording: on a log longer than the target the states must reach its
/// last part (the ten-writer control once caught nothing because all its states were cuts before the writers' commits), and
/// on a short log they stay the enumerator's own (every in-order prefix, then reorderings).
/// </summary>
public sealed class StateSamplingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("atomicfiles-sampling-").FullName;

    [Fact]
    public void Sample_LogLongerThanTarget_StatesReachTheEndOfTheLog()
    {
        var log = SyntheticLog(windows: 400);

        var sample = PowerLossSimulator.Sample(log, target: 50, seed: 1);

        sample.Should().HaveCount(50);
        sample.Max(s => s.WindowEnd).Should().BeGreaterThan(log.Entries.Count * 9 / 10);

        // The control: the enumerator's first 50 states, what a run checked before, stop in the first eighth of the log.
        CrashStateEnumerator.Enumerate(log, 50, seed: 1).Max(s => s.WindowEnd).Should().BeLessThan(log.Entries.Count / 8);
    }

    [Fact]
    public void Sample_TargetCoversEveryPrefix_TheEnumeratorsOwnStates()
    {
        var log = SyntheticLog(windows: 20);

        var sample = PowerLossSimulator.Sample(log, target: 100, seed: 1);

        sample.Select(s => s.ToString()).Should().Equal(CrashStateEnumerator.Enumerate(log, 100, seed: 1).Select(s => s.ToString()));
        sample.Max(s => s.WindowEnd).Should().Be(log.Entries.Count);
    }

    /// <summary>A dm-log-writes log of <paramref name="windows"/> × (two one-sector writes, then a flush).</summary>
    private WriteLog SyntheticLog(int windows)
    {
        const int sector = 512;
        var path = Path.Join(_directory, $"log{windows}");
        using (var file = File.Create(path))
        {
            var block = new byte[sector];
            BinaryPrimitives.WriteUInt64LittleEndian(block, 0x6a736677736872);
            BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(16), (ulong)windows * 3);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(24), sector);
            file.Write(block);
            for (var w = 0; w < windows; w++)
            {
                foreach (var (diskSector, sectors, flags) in new[] { (2L * w, 1L, WriteLogEntryKind.None), ((2L * w) + 1, 1L, WriteLogEntryKind.None), (0L, 0L, WriteLogEntryKind.Flush) })
                {
                    Array.Clear(block);
                    BinaryPrimitives.WriteUInt64LittleEndian(block, (ulong)diskSector);
                    BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(8), (ulong)sectors);
                    BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(16), (ulong)flags);
                    file.Write(block);
                    for (var s = 0; s < sectors; s++)
                    {
                        file.Write(new byte[sector]);
                    }
                }
            }
        }

        return WriteLog.Read(path);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
