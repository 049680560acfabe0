namespace Klaviyo;

/// <summary>Metadata for every operation of the Klaviyo API, generated from the official OpenAPI spec.</summary>
public static partial class Catalog
{
    /// <summary>The API revision the operations were generated from; the default <c>revision</c> header.</summary>
    public const string Revision = "2026-07-15";
}
