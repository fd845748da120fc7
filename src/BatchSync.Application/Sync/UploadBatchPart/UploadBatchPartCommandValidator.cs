using BatchSync.Application.Common;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace BatchSync.Application.Sync.UploadBatchPart;

internal sealed class UploadBatchPartCommandValidator : AbstractValidator<UploadBatchPartCommand>
{
    /// <summary>Marks the failure that is a 413 rather than a 400.</summary>
    public const string TooLargeCode = "too_large";

    public UploadBatchPartCommandValidator(IOptions<BatchSyncOptions> options, TimeProvider time)
    {
        var limits = options.Value.Limits;
        RuleFor(c => c).Custom(static (command, context) =>
        {
            foreach (var (path, messages) in command.ShapeErrors)
            {
                foreach (var message in messages)
                {
                    context.AddFailure(path, message);
                }
            }
        });

        RuleFor(c => c.SyncId).Identifier("sync_id", c => c.ShapeErrors);
        RuleFor(c => c.DeviceId).Identifier("device_id", c => c.ShapeErrors);
        RuleFor(c => c.UserName)
            .Required("user_name", c => c.ShapeErrors)
            .Length(1, 128).WithMessage("must be 1-128 characters")
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("must not contain control characters");
        RuleFor(c => c.TotalParts)
            .Required("total_parts", c => c.ShapeErrors)
            .InclusiveBetween(1, limits.MaxBatchParts).WithMessage($"must be between 1 and {limits.MaxBatchParts}");
        RuleFor(c => c.PartNumber)
            .Required("part_number", c => c.ShapeErrors)
            .GreaterThanOrEqualTo(1).WithMessage("must be at least 1")
            .Must((c, n) => n is null || c.TotalParts is null || n <= c.TotalParts).WithMessage("must not exceed total_parts");
        RuleFor(c => c.Records)
            .Required("records", c => c.ShapeErrors)
            .Must(r => r is null || r.Count > 0).WithMessage("must contain at least one record")
            .Must(r => r is null || r.Count <= limits.MaxBatchSize)
            .WithMessage($"must not contain more than {limits.MaxBatchSize} records").WithErrorCode(TooLargeCode);
        var requireChecksum = options.Value.Integrity.RequireChecksum;
        RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var message in ChecksumErrors(command, requireChecksum))
            {
                context.AddFailure("checksum", message);
            }
        });
        RuleForEach(c => c.Records)
            .SetValidator(new IncomingRecordValidator(limits, time))
            .OverridePropertyName("records")
            .When(c => c.Records is { Count: > 0 } r && r.Count <= limits.MaxBatchSize);
    }

    /// <summary>The part's checksum field and the body's Content-Digest, each checked when present.</summary>
    private static IEnumerable<string> ChecksumErrors(UploadBatchPartCommand command, bool required)
    {
        switch (command.ContentDigest)
        {
            case DigestCheck.Mismatch:
                yield return "Content-Digest does not match the body";
                break;
            case DigestCheck.Malformed:
                yield return "Content-Digest must be an RFC 9530 digest such as sha-256=:<base64>:";
                break;
        }

        if (command.Checksum is { } claimed)
        {
            if (!IsChecksum(claimed))
            {
                yield return "must be \"sha256:\" followed by 64 hex digits";
            }
            else if (command.RecordsChecksum is { } actual && !string.Equals(claimed, actual, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"does not match the records: their bytes in this body hash to {actual}";
            }
        }
        else if (required && command.ContentDigest != DigestCheck.Verified && !command.ShapeErrors.ContainsKey("checksum"))
        {
            yield return "is required: send a checksum field or a Content-Digest header";
        }
    }

    private static bool IsChecksum(string value) =>
        value.Length == 71 &&
        value.StartsWith("sha256:", StringComparison.Ordinal) &&
        value.AsSpan(7).IndexOfAnyExcept(HexDigits) < 0;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}

internal static class UploadRuleExtensions
{
    /// <summary>Absent is "is required"; present with the wrong type was already reported by the reader.</summary>
    public static IRuleBuilderOptions<UploadBatchPartCommand, T?> Required<T>(
        this IRuleBuilder<UploadBatchPartCommand, T?> rule,
        string name,
        Func<UploadBatchPartCommand, IReadOnlyDictionary<string, string[]>> shapeErrors) =>
        rule.Must((command, value) => value is not null || shapeErrors(command).ContainsKey(name))
            .WithMessage("is required")
            .OverridePropertyName(name);

    /// <summary>Ids name folders and files: a closed alphabet, never <c>.</c> or <c>..</c>.</summary>
    public static void Identifier(
        this IRuleBuilder<UploadBatchPartCommand, string?> rule,
        string name,
        Func<UploadBatchPartCommand, IReadOnlyDictionary<string, string[]>> shapeErrors) =>
        rule.Required(name, shapeErrors)
            .Must(id => id is null || Identifiers.IsValid(id))
            .WithMessage("must be 1-128 characters of A-Z a-z 0-9 _ . : @ - and not . or ..");
}
