namespace AtomicFiles;

public static partial class AtomicFile
{
    /// <summary>
    /// Begins a transaction: file replacements and deletions under <paramref name="rootDirectory"/> that take effect
    /// all together or not at all, across crashes and power cuts. Waits for any other transaction in the same root to
    /// finish, then completes or rolls back one a crash interrupted there.
    /// </summary>
    /// <param name="rootDirectory">The directory every file of the transaction lies under. Its lock and journal files live in it.</param>
    /// <param name="options">
    /// How to write, and how long to wait for another transaction in the root (<see cref="AtomicFileOptions.LockTimeout"/>);
    /// <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.
    /// </param>
    /// <returns>The transaction. Commit it, and dispose it either way: disposing without committing rolls back.</returns>
    /// <example>
    /// <code>
    /// using var tx = AtomicFile.BeginTransaction(root);
    /// tx.WriteAllText("index.json", index);
    /// tx.WriteAllBytes("data/blob.bin", blob);
    /// tx.Delete("data/old.bin");
    /// tx.Commit(); // without this line, nothing changes on disk
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rootDirectory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="rootDirectory"/> does not exist.</exception>
    /// <exception cref="TimeoutException">Another transaction held the root longer than <see cref="AtomicFileOptions.LockTimeout"/> (default 30 seconds); the message names the root.</exception>
    /// <exception cref="IOException">
    /// Recovering an interrupted transaction failed; or the root holds a transaction journal this user could not have
    /// written (on Unix: another user's, a link, not a regular file, writable by others), which is never acted on — the
    /// message names it and says why; if it is another user's interrupted transaction, that user must recover it.
    /// </exception>
    public static AtomicFileTransaction BeginTransaction(string rootDirectory, AtomicFileOptions? options = null) =>
        AtomicFileTransaction.Begin(rootDirectory, options ?? AtomicFileOptions.Default);

    /// <summary>
    /// Begins a transaction as <see cref="BeginTransaction"/> does, waiting for another transaction in the same root
    /// without blocking a thread, and cancellably.
    /// </summary>
    /// <param name="rootDirectory">The directory every file of the transaction lies under. Its lock and journal files live in it.</param>
    /// <param name="options">
    /// How to write, and how long to wait for another transaction in the root (<see cref="AtomicFileOptions.LockTimeout"/>);
    /// <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the root's lock and the recovery of an interrupted transaction before it starts.</param>
    /// <returns>The transaction. Commit it, and dispose it either way: disposing without committing rolls back.</returns>
    /// <example>
    /// <code>
    /// await using var tx = await AtomicFile.BeginTransactionAsync(root, cancellationToken: ct);
    /// await tx.WriteAllTextAsync("index.json", index, ct);
    /// tx.Delete("data/old.bin");
    /// await tx.CommitAsync(ct);
    /// </code>
    /// </example>
    /// <inheritdoc cref="BeginTransaction" path="/exception"/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was begun and the lock is not held.</exception>
    public static Task<AtomicFileTransaction> BeginTransactionAsync(string rootDirectory, AtomicFileOptions? options = null, CancellationToken cancellationToken = default) =>
        AtomicFileTransaction.BeginAsync(rootDirectory, options ?? AtomicFileOptions.Default, cancellationToken);
}
