namespace Klaviyo.Cli;

/// <summary>Points options at another server: <c>--base-url http://127.0.0.1:5000/proxy</c>.</summary>
internal static class BaseUrl
{
    /// <summary>
    /// <paramref name="options"/> with <see cref="KlaviyoOptions.Protocol"/>, <see cref="KlaviyoOptions.Host"/>,
    /// <see cref="KlaviyoOptions.Port"/> and <see cref="KlaviyoOptions.Path"/> taken from <paramref name="url"/>.
    /// Anything but an absolute http(s) URL without query, fragment or user info is a <see cref="UsageException"/>.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <param name="url">The base URL.</param>
    public static KlaviyoOptions Apply(KlaviyoOptions options, string url)
    {
        if (
            !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        )
            throw new UsageException(
                $"--base-url takes an absolute http or https URL such as http://127.0.0.1:5000, not '{url}'"
            );
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new UsageException(
                "--base-url takes scheme, host, port and path only: no query, fragment or user info"
            );
        return options with
        {
            Protocol = uri.Scheme,
            Host = uri.Host,
            Port = uri.IsDefaultPort ? null : uri.Port,
            Path = uri.AbsolutePath.TrimEnd('/'),
        };
    }
}
