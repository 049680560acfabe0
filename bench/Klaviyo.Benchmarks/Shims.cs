using LanguageExt;

namespace Klaviyo.Benchmarks;

/// <summary>The pure halves of a send, as the benchmarks call them.</summary>
internal static class RequestBuilder
{
    public static Either<KlaviyoError, KlaviyoRequest> Build(
        RequestOperation operation,
        KlaviyoOptions options
    ) => operation.Build(options);
}

/// <summary>Classification, as the benchmarks call it.</summary>
internal static class ResponseClassifier
{
    public static Either<KlaviyoError, KlaviyoResponse> Classify(
        RawResponse raw,
        IJsonCodec codec,
        Seq<Secret> secrets
    ) => raw.Classify(codec, secrets);
}
