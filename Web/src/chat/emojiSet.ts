/** The composer's emoji picker: the faces, hands and symbols a live chat uses most. */
export const pickerEmoji = [
  '😀', '😂', '🤣', '😊', '😍', '🥰', '😘', '😎', '🤩', '🥳', '😮', '😱', '😢', '😭', '😡', '🤔',
  '🙄', '😴', '🤯', '😇', '👍', '👎', '👏', '🙌', '🙏', '💪', '👋', '🤝', '❤️', '🧡', '💛', '💚',
  '💙', '💜', '💔', '🔥', '✨', '🎉', '🎁', '🌹', '💎', '🚀', '👑', '⭐', '🌈', '💯', '✅', '❌',
] as const;
