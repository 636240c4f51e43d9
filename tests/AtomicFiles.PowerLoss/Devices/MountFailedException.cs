namespace AtomicFiles.PowerLoss.Devices;

/// <summary>A crash image the kernel refused to mount: invariant 1 fails.</summary>
public sealed class MountFailedException : IOException
{
    public MountFailedException(string message)
        : base(message)
    {
    }
}
