namespace Klaviyo.Cli;

/// <summary>
/// The credentials the tool found: an access token from <c>KLAVIYO_ACCESS_TOKEN</c>, an API key from
/// <c>--api-key-file</c> or else <c>KLAVIYO_API_KEY</c>. Never from a flag holding the secret itself, so it stays
/// out of shell history and process listings. <see cref="ToString"/> shows neither value.
/// </summary>
/// <param name="ApiKey">The private API key, if any.</param>
/// <param name="AccessToken">The OAuth access token, if any.</param>
internal sealed record Credentials(string? ApiKey, string? AccessToken)
{
    /// <summary>The API key's environment variable.</summary>
    public const string ApiKeyVariable = "KLAVIYO_API_KEY";

    /// <summary>The access token's environment variable.</summary>
    public const string AccessTokenVariable = "KLAVIYO_ACCESS_TOKEN";

    /// <summary>Whether there is anything to authenticate with.</summary>
    public bool Any => ApiKey is not null || AccessToken is not null;

    /// <summary>Reads the credentials. An unreadable or empty key file is a <see cref="UsageException"/>.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="apiKeyFile">The <c>--api-key-file</c> path, if given.</param>
    public static Credentials Read(Func<string, string?> environment, string? apiKeyFile)
    {
        string? apiKey;
        if (apiKeyFile is not null)
        {
            try
            {
                apiKey = File.ReadAllText(apiKeyFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read --api-key-file '{apiKeyFile}': {e.Message}");
            }
            if (apiKey.Length == 0)
                throw new UsageException($"--api-key-file '{apiKeyFile}' is empty");
        }
        else
            apiKey = NonEmpty(environment(ApiKeyVariable));
        return new Credentials(apiKey, NonEmpty(environment(AccessTokenVariable)));
    }

    /// <summary>Puts the credentials in <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public KlaviyoOptions ApplyTo(KlaviyoOptions options) =>
        options with
        {
            ApiKey = ApiKey,
            AccessToken = AccessToken,
        };

    /// <summary>Which credentials are present, never their values.</summary>
    public override string ToString() =>
        $"Credentials {{ ApiKey = {(ApiKey is null ? "none" : Secret.Mask)}, AccessToken = {(AccessToken is null ? "none" : Secret.Mask)} }}";

    private static string? NonEmpty(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
