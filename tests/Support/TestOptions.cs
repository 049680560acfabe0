namespace Klaviyo.Tests;

/// <summary>Options for tests that are about an interpreter, not the options.</summary>
public static class TestOptions
{
    /// <summary>A made-up private key.</summary>
    public const string ApiKey = "pk_test_0123456789abcdef";

    /// <summary>Options sending through <paramref name="client"/> with <paramref name="apiKey"/>.</summary>
    public static KlaviyoOptions With(IInterpreter client, string apiKey = ApiKey) =>
        new() { ApiKey = apiKey, Client = client };
}
