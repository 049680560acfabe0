using System.Globalization;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Keeps the tokens in a JSON file, in clear: that file is where they live, so guard it as you would the client
/// secret (keep it out of source control and backups you share). Nowhere else are they written in clear.
/// </summary>
/// <remarks>
/// <para>The file reads like a token response: <c>access_token</c>, <c>refresh_token</c>, <c>expires_at</c>
/// (ISO 8601) and <c>scope</c> (space-separated).</para>
/// <para>Every save is atomic: the whole set goes to a temporary file in the same folder, which is flushed to disk and
/// then moved over the old file in one step, so a reader (this process or another) sees the old tokens or the new ones,
/// never half a file; a crash leaves the old file as it was. Saves are serialized, within the process and across
/// processes (a lock file beside it, <c>.&lt;name&gt;.lock</c>), and a temporary file a crashed save left behind is
/// removed by the next save.</para>
/// <para>On Linux and macOS the file (and its temporary file, from the moment it is created) has mode <c>0600</c>:
/// read and write for its owner only; a folder the store creates has mode <c>0700</c>. Each save rewrites the mode, so
/// a file copied in with looser permissions is tightened at the first refresh. On Windows, Unix modes do not apply:
/// the file inherits the access rules of its folder, so put it in a folder only you can read, such as one under
/// <c>%LOCALAPPDATA%</c> (the store does not change ACLs).</para>
/// </remarks>
public sealed class FileTokenStore : ITokenStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _saving = new(1, 1);

    /// <summary>A store in <paramref name="path"/>; the file need not exist yet.</summary>
    /// <param name="path">The token file, e.g. <c>~/.config/my-app/klaviyo-tokens.json</c>.</param>
    public FileTokenStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The full path of the token file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file is not a token set (its content is never quoted).</exception>
    public async Task<TokenSet?> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            // FileShare.Delete lets a save replace the file while it is being read (Windows).
            await using var stream = new FileStream(
                Path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 4096,
                useAsync: true
            );
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return Parse(bytes);
    }

    /// <inheritdoc />
    public async Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var bytes = Serialize(tokens);
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(folder);
                else
                    Directory.CreateDirectory(
                        folder,
                        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    );
            }
            using var held = await LockAsync(cancellationToken).ConfigureAwait(false);
            RemoveOrphans();
            WriteAtomically(bytes);
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>The path; never the tokens.</summary>
    public override string ToString() => $"FileTokenStore({Path})";

    private void WriteAtomically(byte[] bytes)
    {
        var temp = TempPath(Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            // Owner-only from creation: the tokens are never readable by others, not even for a moment.
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var lockPath = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(Path)!,
            $".{System.IO.Path.GetFileName(Path)}.lock"
        );
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        // Another process's save holds the lock for a few milliseconds; the wait is bounded in real time because the
        // lock is held by a file system, not by anything a test clock drives.
        var deadline = DateTime.UtcNow + LockWait;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(
                    Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks)
                );
            }
            catch (IOException e)
            {
                throw new IOException(
                    $"the token file '{Path}' is being saved by another process; waited {LockWait.TotalSeconds:0} s for it",
                    e
                );
            }
        }
    }

    // Called holding the lock, so no temporary file found is another save's work in progress.
    private void RemoveOrphans()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        foreach (
            var orphan in Directory.GetFiles(folder, $".{System.IO.Path.GetFileName(Path)}.*.tmp")
        )
            TryDelete(orphan);
    }

    private string TempPath(string unique) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(Path)!,
            $".{System.IO.Path.GetFileName(Path)}.{unique}.tmp"
        );

    private static byte[] Serialize(TokenSet tokens)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            // Revealed on purpose: this file is where the tokens are kept.
            writer.WriteString("access_token", tokens.AccessToken.Reveal());
            writer.WriteString("refresh_token", tokens.RefreshToken.Reveal());
            writer.WriteString(
                "expires_at",
                tokens.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)
            );
            writer.WriteString("scope", string.Join(" ", tokens.Scopes));
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private TokenSet Parse(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw Invalid("it is not JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid("it is not a JSON object");
            var access = Text(root, "access_token") ?? throw Invalid("access_token is missing");
            var refresh = Text(root, "refresh_token") ?? throw Invalid("refresh_token is missing");
            var expiresAt =
                Text(root, "expires_at") is { } text
                && DateTimeOffset.TryParse(
                    text,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.RoundtripKind,
                    out var at
                )
                    ? at
                    : throw Invalid("expires_at is missing or not an ISO 8601 time");
            var scopes = toSeq(
                    (Text(root, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                )
                .Strict();
            return new TokenSet(Secret.Of(access), Secret.Of(refresh), expiresAt, scopes);
        }
    }

    private InvalidDataException Invalid(string why) =>
        new($"the token file '{Path}' is not a token set: {why}");

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
