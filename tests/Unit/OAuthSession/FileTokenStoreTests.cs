using System.Text.Json;
using Xunit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.OAuthSessions;

public sealed class FileTokenStoreTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder = Path.Combine(
        Path.GetTempPath(),
        "klaviyo-token-store-" + Guid.NewGuid().ToString("N")
    );

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static TokenSet Tokens(int n) =>
        new(
            Secret.Of($"at-FILE-{n}-{Guid.NewGuid():N}"),
            Secret.Of($"rt-FILE-{n}-{Guid.NewGuid():N}+/="),
            new DateTimeOffset(2024, 5, 1, 13, 0, 0, TimeSpan.FromHours(2)).AddSeconds(n),
            Seq("lists:read", "profiles:write")
        );

    [Fact]
    public async Task Saves_and_loads_the_whole_token_set()
    {
        var store = new FileTokenStore(Path.Combine(_folder, "nested", "tokens.json"));
        var tokens = Tokens(1);

        await store.SaveAsync(tokens, CancellationToken.None);
        var loaded = await new FileTokenStore(store.Path).LoadAsync(CancellationToken.None);

        Assert.Equal(tokens, loaded);
        Assert.Equal(tokens.ExpiresAt.Offset, loaded!.ExpiresAt.Offset);
    }

    [Fact]
    public async Task A_missing_file_holds_no_tokens()
    {
        var store = new FileTokenStore(Path.Combine(_folder, "absent.json"));

        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_file_holds_the_tokens_in_clear_as_a_token_response_does()
    {
        var store = new FileTokenStore(Path.Combine(_folder, "tokens.json"));
        var tokens = Tokens(2);

        await store.SaveAsync(tokens, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(store.Path));
        var root = json.RootElement;
        Assert.Equal(tokens.AccessToken.Reveal(), root.GetProperty("access_token").GetString());
        Assert.Equal(tokens.RefreshToken.Reveal(), root.GetProperty("refresh_token").GetString());
        Assert.Equal("lists:read profiles:write", root.GetProperty("scope").GetString());
        Assert.Equal(
            tokens.ExpiresAt,
            DateTimeOffset.Parse(root.GetProperty("expires_at").GetString()!)
        );
    }

    [Fact]
    public async Task The_file_and_a_folder_it_creates_are_for_their_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return; // Unix modes do not apply; the file inherits its folder's ACL (documented).
        var store = new FileTokenStore(Path.Combine(_folder, "private", "tokens.json"));

        await store.SaveAsync(Tokens(3), CancellationToken.None);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(store.Path));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(store.Path)!)
        );
    }

    [Fact]
    public async Task A_file_with_looser_permissions_is_tightened_by_the_next_save()
    {
        if (OperatingSystem.IsWindows())
            return;
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "copied.json");
        await File.WriteAllTextAsync(path, "{}");
        File.SetUnixFileMode(
            path,
            OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
        );

        await new FileTokenStore(path).SaveAsync(Tokens(4), CancellationToken.None);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_save_leaves_no_temporary_file_and_removes_one_a_crashed_save_left()
    {
        Directory.CreateDirectory(_folder);
        var store = new FileTokenStore(Path.Combine(_folder, "tokens.json"));
        var orphan = Path.Combine(_folder, ".tokens.json.0123456789abcdef.tmp");
        await File.WriteAllTextAsync(orphan, "half a token set");

        await store.SaveAsync(Tokens(5), CancellationToken.None);

        Assert.Equal(
            new[] { ".tokens.json.lock", "tokens.json" },
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public async Task Readers_see_a_whole_token_set_while_others_save()
    {
        var path = Path.Combine(_folder, "busy.json");
        var sets = Enumerable.Range(0, 40).Select(Tokens).ToArray();
        await new FileTokenStore(path).SaveAsync(sets[0], CancellationToken.None);
        using var done = new CancellationTokenSource();
        var loads = 0;

        // Separate store instances: as separate processes would, they serialize only through the lock file.
        var writers = Enumerable
            .Range(0, 4)
            .Select(w =>
                Task.Run(async () =>
                {
                    var store = new FileTokenStore(path);
                    for (var i = w; i < sets.Length; i += 4)
                        await store.SaveAsync(sets[i], CancellationToken.None);
                })
            )
            .ToArray();
        var readers = Enumerable
            .Range(0, 4)
            .Select(_ =>
                Task.Run(async () =>
                {
                    var store = new FileTokenStore(path);
                    do
                    {
                        var loaded = await store.LoadAsync(CancellationToken.None);
                        Assert.Contains(loaded, sets);
                        Interlocked.Increment(ref loads);
                    } while (!done.IsCancellationRequested);
                })
            )
            .ToArray();
        await Task.WhenAll(writers);
        done.Cancel();
        await Task.WhenAll(readers);

        Assert.True(loads >= 4);
        Assert.Contains(await new FileTokenStore(path).LoadAsync(CancellationToken.None), sets);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_token_set_is_an_error_that_does_not_quote_it()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(path, """{"access_token":"at-QUOTED-SECRET"}""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new FileTokenStore(path).LoadAsync(CancellationToken.None)
        );

        Assert.Contains("refresh_token is missing", error.Message);
        Assert.DoesNotContain("QUOTED", error.Message);
    }

    [Fact]
    public async Task Its_description_names_the_file_never_the_tokens()
    {
        var store = new FileTokenStore(Path.Combine(_folder, "tokens.json"));
        var tokens = Tokens(6);
        await store.SaveAsync(tokens, CancellationToken.None);

        Assert.Equal($"FileTokenStore({store.Path})", store.ToString());
        Assert.DoesNotContain("FILE-6", new InMemoryTokenStore(tokens).ToString());
    }
}
