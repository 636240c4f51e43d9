namespace AtomicFiles;

/// <summary>
/// The new content replaced the target, but flushing the directory failed, so whether the replacement survives a
/// power cut is not confirmed. Readers already see the new content; the old content is gone.
/// </summary>
/// <remarks>
/// Catch it apart from other <see cref="IOException"/>s when "not written" and "written, durability unknown"
/// need different handling, for example to retry only the directory flush later or to warn rather than fail.
/// </remarks>
public sealed class DurabilityNotConfirmedException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file whose new content is in place.</param>
    /// <param name="innerException">Why the directory flush failed.</param>
    public DurabilityNotConfirmedException(string path, Exception innerException)
        : base($"The new content of '{path}' is in place, but flushing its directory failed, so it may not survive a power cut: {innerException.Message}", innerException)
    {
        Path = path;
        HResult = innerException.HResult;
    }

    /// <summary>The file whose new content is in place.</summary>
    public string Path { get; }
}
