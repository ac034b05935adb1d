//! Known values of the open string fields `llmModel`, `ttsModel.provider` and
//! `ttsModel.voiceId`, as listed in the spec (`LlmModel`, `TtsProvider`, `VoiceId`).
//!
//! The fields are plain `String`s: Trillet adds models and voices over time, and any value
//! is sent and decoded as is. These constants only save looking the names up:
//!
//! ```
//! use trillet::models::{llm, tts, voice};
//! use trillet::types::{AgentCreate, TtsModelCreate};
//!
//! let voice = TtsModelCreate { voice_id: Some(voice::WILDFLOWER.into()), ..TtsModelCreate::new(tts::RIME) };
//! let agent = AgentCreate::new("Front Desk", voice, llm::GPT_4O_MINI);
//! assert_eq!(agent.llm_model, "gpt-4o-mini");
//! ```

/// Language models (`llmModel`).
pub mod llm {
    /// `gpt-4o-mini`, the default.
    pub const GPT_4O_MINI: &str = "gpt-4o-mini";
    /// `gpt-4o`.
    pub const GPT_4O: &str = "gpt-4o";
    /// `gpt-4o-enterprise`.
    pub const GPT_4O_ENTERPRISE: &str = "gpt-4o-enterprise";
    /// `gpt-4.1`.
    pub const GPT_4_1: &str = "gpt-4.1";
    /// `gpt-4.1-mini`.
    pub const GPT_4_1_MINI: &str = "gpt-4.1-mini";
    /// `gpt-4.1-enterprise`.
    pub const GPT_4_1_ENTERPRISE: &str = "gpt-4.1-enterprise";
    /// `gpt-4.1-mini-enterprise`.
    pub const GPT_4_1_MINI_ENTERPRISE: &str = "gpt-4.1-mini-enterprise";
    /// `gpt-5`.
    pub const GPT_5: &str = "gpt-5";
    /// `gemini-2.5-flash`.
    pub const GEMINI_2_5_FLASH: &str = "gemini-2.5-flash";
    /// `gemini-2.0-flash-001`.
    pub const GEMINI_2_0_FLASH_001: &str = "gemini-2.0-flash-001";
    /// `gemini-2.0-flash-live-001`.
    pub const GEMINI_2_0_FLASH_LIVE_001: &str = "gemini-2.0-flash-live-001";
    /// `gemini-live-2.5-flash-preview`.
    pub const GEMINI_LIVE_2_5_FLASH_PREVIEW: &str = "gemini-live-2.5-flash-preview";
    /// `gemini-2.5-flash-preview-native-audio-dialog`.
    pub const GEMINI_2_5_FLASH_PREVIEW_NATIVE_AUDIO_DIALOG: &str =
        "gemini-2.5-flash-preview-native-audio-dialog";
    /// `geminiaudiopipeline:gemini-2.5-flash-preview-native-audio-dialog`.
    pub const GEMINI_AUDIO_PIPELINE_2_5_FLASH_PREVIEW_NATIVE_AUDIO_DIALOG: &str =
        "geminiaudiopipeline:gemini-2.5-flash-preview-native-audio-dialog";
    /// `claude-3-5-sonnet-latest` (used by the Update Call Agent example).
    pub const CLAUDE_3_5_SONNET_LATEST: &str = "claude-3-5-sonnet-latest";

    /// The model used when `llmModel` is not given.
    pub const DEFAULT: &str = GPT_4O_MINI;

    /// Every known model, in the spec's order.
    pub const ALL: &[&str] = &[
        GPT_4O_MINI,
        GPT_4O,
        GPT_4O_ENTERPRISE,
        GPT_4_1,
        GPT_4_1_MINI,
        GPT_4_1_ENTERPRISE,
        GPT_4_1_MINI_ENTERPRISE,
        GPT_5,
        GEMINI_2_5_FLASH,
        GEMINI_2_0_FLASH_001,
        GEMINI_2_0_FLASH_LIVE_001,
        GEMINI_LIVE_2_5_FLASH_PREVIEW,
        GEMINI_2_5_FLASH_PREVIEW_NATIVE_AUDIO_DIALOG,
        GEMINI_AUDIO_PIPELINE_2_5_FLASH_PREVIEW_NATIVE_AUDIO_DIALOG,
        CLAUDE_3_5_SONNET_LATEST,
    ];
}

/// Text-to-speech providers (`ttsModel.provider`).
pub mod tts {
    /// `openai`.
    pub const OPENAI: &str = "openai";
    /// `rime`, Trillet's own voices (see [`voice`](super::voice)).
    pub const RIME: &str = "rime";
    /// `elevenlabs`.
    pub const ELEVENLABS: &str = "elevenlabs";
    /// `11labs_byo`: ElevenLabs with your own key (`elevenLabsApiKey`).
    pub const ELEVENLABS_BYO: &str = "11labs_byo";
    /// `google`.
    pub const GOOGLE: &str = "google";
    /// `cartesia` (seen in responses).
    pub const CARTESIA: &str = "cartesia";

    /// Every known provider, in the spec's order.
    pub const ALL: &[&str] = &[OPENAI, RIME, ELEVENLABS, ELEVENLABS_BYO, GOOGLE, CARTESIA];
}

/// Voices (`ttsModel.voiceId`).
pub mod voice {
    /// `mistv2_Wildflower`: female, smart; the default Trillet voice.
    pub const WILDFLOWER: &str = "mistv2_Wildflower";
    /// `mistv2_Brook`: male, friendly.
    pub const BROOK: &str = "mistv2_Brook";
    /// `mistv2_Violet`: female, professional.
    pub const VIOLET: &str = "mistv2_Violet";
    /// `alloy`, an OpenAI voice.
    pub const OPENAI_ALLOY: &str = "alloy";

    /// The voice used when `voiceId` is not given.
    pub const DEFAULT: &str = WILDFLOWER;

    /// Trillet's own voices, in the spec's order.
    pub const TRILLET: &[&str] = &[WILDFLOWER, BROOK, VIOLET];
}
