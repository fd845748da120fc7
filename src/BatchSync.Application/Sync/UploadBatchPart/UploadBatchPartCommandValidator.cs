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
        RuleForEach(c => c.Records)
            .SetValidator(new IncomingRecordValidator(limits, time))
            .OverridePropertyName("records")
            .When(c => c.Records is { Count: > 0 } r && r.Count <= limits.MaxBatchSize);
    }
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
