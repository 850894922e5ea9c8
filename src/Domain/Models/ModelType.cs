namespace Odock.Domain.Models;

/// <summary>What a model does; used for filtering, routing and clarity.</summary>
public enum ModelType
{
    Chat,
    Reasoning,
    Image,
    Embeddings,
    Audio,
    Moderation,
    Transcription,
    Tts,
}
