// People as index terms: the signal that a listing and a query name the same person.
//
// A research result names its researchers and a patent or need its inventors, and they are
// often the same people (a paper's authors file its patent). Names are written many ways, so a
// name becomes one term that its usual spellings share:
//   - Latin script: the surname and the first initial, "@basini l" for "Luca Basini",
//     "L. Basini", "BASINI, Luca" and "Basini, L." alike ("Surname, Given" when a comma is
//     there, the last word as surname otherwise);
//   - Han script: the characters without spaces, so "张 伟", "張偉" and "张伟" meet;
// after TextFolder folding (case, width, Traditional to Simplified). The terms begin with '@',
// which the Analyzer never emits, so a name never meets a word.
//
// The index takes them as a field of weight kPeopleWeight that adds nothing to a document's
// length (IndexField::in_length false): naming people must not change how the words score.
// BM25's idf then weighs a shared name by its rarity.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/text_folder.h"

namespace parkhub::matching {

// A shared person counts as a title word shared twice over would, before saturation.
constexpr unsigned kPeopleWeight = 2;

// The term for one person's name; "" when the name holds no letter.
std::string PersonTerm(const text::TextFolder& folder, std::string_view name);

// The terms of several names, without the empty ones.
std::vector<std::string> PersonTerms(const text::TextFolder& folder, const std::vector<std::string>& names);

}  // namespace parkhub::matching
