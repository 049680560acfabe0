namespace Klaviyo;

/// <summary>Creates interpreters for <see cref="KlaviyoOptions.Client"/>.</summary>
public static partial class Interpreter
{
    private static readonly Lazy<LiveInterpreter> Shared = new(() => new LiveInterpreter());

    /// <summary>The shared live interpreter used when <see cref="KlaviyoOptions.Client"/> is <c>null</c>.</summary>
    public static IInterpreter Default => Shared.Value;

    /// <summary>A live HTTP interpreter (Flurl.Http) over <paramref name="httpClient"/>, or over a new pooled client.</summary>
    /// <param name="httpClient">A caller-owned client, e.g. from <c>IHttpClientFactory</c>.</param>
    public static LiveInterpreter Live(HttpClient? httpClient = null) => new(httpClient);
}
